package dev.datasync.shared.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;

import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * JSON-lines logger. Only typed, whitelisted fields exist (event, syncId, stream/partition/offset, target host,
 * status, attempt, latency, a short reason): there is deliberately no way to log a token, a header map or a payload.
 * One line per event, written whole, so concurrent deliveries never interleave within a line.
 * <pre>
 * JsonLog.stderr().info("sync.accepted").syncId(id).stream(ocid).partition("0").offset(12).write();
 * </pre>
 */
public final class JsonLog {

    private final Consumer<String> sink;
    private final Clock clock;
    private final String component;

    private JsonLog(Consumer<String> sink, Clock clock, String component) {
        this.sink = sink;
        this.clock = clock;
        this.component = component;
    }

    /**
     * Logs to whatever {@code System.err} is at write time (the FDK and FnTestingRule swap the std streams, and
     * stdout may carry the function's response in some Fn formats).
     */
    public static JsonLog stderr() {
        return new JsonLog(line -> System.err.println(line), Clock.systemUTC(), null);
    }

    public static JsonLog to(PrintStream out) {
        return new JsonLog(out::println, Clock.systemUTC(), null);
    }

    /** For tests: collect lines. */
    public static JsonLog to(Consumer<String> sink, Clock clock) {
        return new JsonLog(sink, clock, null);
    }

    /** The same sink, every line tagged with {@code "component"} (e.g. the function name). */
    public JsonLog component(String name) {
        return new JsonLog(sink, clock, name);
    }

    public Entry info(String event) {
        return new Entry("INFO", event);
    }

    public Entry warn(String event) {
        return new Entry("WARN", event);
    }

    public Entry error(String event) {
        return new Entry("ERROR", event);
    }

    /** One log line under construction; {@link #write()} emits it. Not thread-safe (build it on one thread). */
    public final class Entry {
        private final ObjectNode node = JsonNodeFactory.instance.objectNode();

        private Entry(String level, String event) {
            node.put("ts", clock.instant().toString());
            node.put("level", level);
            if (component != null) {
                node.put("component", component);
            }
            node.put("event", event);
        }

        public Entry syncId(String v) {
            return text("syncId", v);
        }

        public Entry stream(String v) {
            return text("stream", v);
        }

        public Entry partition(String v) {
            return text("partition", v);
        }

        public Entry offset(long v) {
            node.put("offset", v);
            return this;
        }

        /** Only the host of a target, never its path or query (they may carry identifiers). */
        public Entry targetHost(String v) {
            return text("targetHost", v);
        }

        public Entry status(int v) {
            node.put("status", v);
            return this;
        }

        public Entry attempt(int v) {
            node.put("attempt", v);
            return this;
        }

        public Entry latencyMs(long v) {
            node.put("latencyMs", v);
            return this;
        }

        public Entry count(String name, long v) {
            node.put(name, v);
            return this;
        }

        /** A short machine-friendly outcome ("delivered", "routed", "conflict"...). */
        public Entry outcome(String v) {
            return text("outcome", v);
        }

        /**
         * A human-readable reason. Callers pass only their own wording or an exception's class name / OCI error
         * code, never request data (that is where secrets live).
         */
        public Entry reason(String v) {
            return text("reason", v);
        }

        /** The name of a Vault secret (a reference, not the secret). */
        public Entry secretName(String v) {
            return text("secretName", v);
        }

        public Entry durationMs(long v) {
            node.put("durationMs", v);
            return this;
        }

        private Entry text(String name, String v) {
            if (v != null) {
                node.put(name, v);
            }
            return this;
        }

        public void write() {
            sink.accept(Json.toText(node));
        }
    }
}
