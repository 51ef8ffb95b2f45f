package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.log.LogFields;

import java.io.PrintStream;

/**
 * Marks the log lines of the warm-up calls as warm-up. The warm-up sends every container a request that is
 * deliberately incomplete (so it writes nothing), which the functions reject and log like a client's mistake —
 * a {@code sync.rejected ... MissingField} WARN per container on every start, alarming and meaningless. While
 * installed (only during warm-up, before the gateway and connectors run), a JSON line written from a function
 * container's thread gets {@code "warmUp": true}, and a WARN for a {@code *.rejected} event becomes INFO. Anything
 * else — ERRORs in particular (a function that cannot load its configuration) — passes unchanged.
 *
 * <p>The functions log through {@code System.err} (shared-model {@code JsonLog}), so this is a {@code System.err}
 * wrapper; container threads are recognised by the name {@code FunctionInstance} gives them ({@code fn-...}).
 */
final class WarmUpLog extends PrintStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream original;

    private WarmUpLog(PrintStream original) {
        super(original, true);
        this.original = original;
    }

    /** Installs the marker on System.err; closing the returned handle restores what was there. */
    static AutoCloseable install() {
        PrintStream original = System.err;
        System.setErr(new WarmUpLog(original));
        return () -> System.setErr(original);
    }

    @Override
    public void println(String line) {
        original.println(Thread.currentThread().getName().startsWith("fn-") ? mark(line) : line);
    }

    static String mark(String line) {
        if (line == null || !line.startsWith("{")) {
            return line;
        }
        try {
            JsonNode n = JSON.readTree(line);
            if (!(n instanceof ObjectNode o)) {
                return line;
            }
            if (LogFields.WARN.equals(o.path(LogFields.LEVEL).asText())
                    && o.path(LogFields.EVENT).asText().endsWith(".rejected")) {
                o.put(LogFields.LEVEL, LogFields.INFO);
            }
            o.put("warmUp", true);
            return JSON.writeValueAsString(o);
        } catch (Exception notJson) {
            return line;
        }
    }
}
