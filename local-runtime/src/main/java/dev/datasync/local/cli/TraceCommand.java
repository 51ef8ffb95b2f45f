package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.observe.MessageTrace;
import dev.datasync.local.observe.StackView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./datasync trace SYNCID [--json]}: the whole life of one message ({@link MessageTrace}); exit 1 when no
 * log line and no stream knows the syncId ({@code --json}: the gateway's 404 body).
 */
@Command(name = "trace", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = {"The life of one message: accepted, attempts, held, routed, redriven, replayed, where it is "
                + "now.", "Exit 1 when no log line and no stream knows the syncId."})
final class TraceCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "SYNCID", description = "the syncId of the 202 answer (the target's Idempotency-Key)")
    String syncId;

    @Option(names = "--json", description = "the trace as JSON (the same as GET /admin/trace/{syncId})")
    boolean json;

    private final CliEnv cli;

    TraceCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = cli.dataDirWithStack();
        return cli.quietly(dataDir, () -> print(syncId, trace(syncId, dataDir), json, cli.out()));
    }

    /** The trace of {@code syncId} in the stack of {@code dataDir} (running or not). */
    static Optional<ObjectNode> trace(String syncId, Path dataDir) throws Exception {
        try (OciSession s = OciSession.open(dataDir)) {
            return new MessageTrace(StackView.of(s.clients(), s.resources(), dataDir)).of(syncId);
        }
    }

    static int print(String syncId, Optional<ObjectNode> trace, boolean json, PrintStream out) throws Exception {
        if (trace.isEmpty()) {
            if (json) {
                out.println(ControlChars.json(notFound(syncId)));
            } else {
                out.println("no message with syncId " + ControlChars.escape(syncId) + " in this stack's log files, "
                        + "error streams or DeadLetterStream");
            }
            return 1;
        }
        if (json) {
            out.println(ControlChars.json(trace.get()));
        } else {
            text(trace.get(), out);
        }
        return 0;
    }

    /** The 404 body of {@code GET /admin/trace/{syncId}}, the same for {@code --json}. */
    static ObjectNode notFound(String syncId) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", "NotFound");
        o.put("message", "no message with syncId " + syncId);
        o.put("field", "syncId");
        return o;
    }

    private static void text(ObjectNode t, PrintStream out) {
        JsonNode now = t.path("now");
        out.println("syncId " + esc(t.path("syncId").asText()) + (t.hasNonNull("traceId")
                ? "  traceId " + esc(t.get("traceId").asText()) : ""));
        out.println("now     " + esc(now.path("state").asText()) + fields(now, Set.of("state")));
        for (JsonNode e : t.path("events")) {
            out.printf("%-24s  %-12s %s%n", esc(e.path("at").asText("-")), esc(e.path("event").asText()),
                    fields(e, Set.of("at", "event")).trim());
        }
    }

    /** {@code name=value} for every field but the skipped ones, escaped. */
    private static String fields(JsonNode n, Set<String> skip) {
        StringBuilder sb = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (skip.contains(f.getKey()) || f.getValue().isNull()) {
                continue;
            }
            sb.append(' ').append(f.getKey()).append('=').append(esc(f.getValue().isTextual()
                    ? f.getValue().asText() : f.getValue().toString()));
        }
        return sb.toString();
    }

    private static String esc(String s) {
        return ControlChars.escape(s);
    }
}
