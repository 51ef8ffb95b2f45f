package dev.datasync.shared.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;

import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * JSON-lines logger. Only typed, whitelisted fields exist, named and defined in {@link LogFields} (syncId,
 * stream name or OCID, partition, offset, target host, source id, status, code, field, reason, outcome, attempt,
 * timings, counts): there is deliberately no way to log a token, a header map or a payload. One line per event, written
 * whole, so concurrent deliveries never interleave within a line.
 * <pre>
 * JsonLog.stderr().info("sync.accepted").syncId(id).streamId(ocid).partition("0").offset(12).write();
 * </pre>
 */
public final class JsonLog {

    private final Consumer<String> sink;
    private final Clock clock;
    private final String component;
    private final LogLevel minimum;

    private JsonLog(Consumer<String> sink, Clock clock, String component, LogLevel minimum) {
        this.sink = sink;
        this.clock = clock;
        this.component = component;
        this.minimum = minimum;
    }

    /**
     * Logs to whatever {@code System.err} is at write time (the FDK and FnTestingRule swap the std streams, and
     * stdout may carry the function's response in some Fn formats).
     */
    public static JsonLog stderr() {
        return new JsonLog(line -> System.err.println(line), Clock.systemUTC(), null, LogLevel.DEBUG);
    }

    public static JsonLog to(PrintStream out) {
        return new JsonLog(out::println, Clock.systemUTC(), null, LogLevel.DEBUG);
    }

    /** For tests: collect lines. */
    public static JsonLog to(Consumer<String> sink, Clock clock) {
        return new JsonLog(sink, clock, null, LogLevel.DEBUG);
    }

    /** The same sink, every line tagged with {@code "component"} (e.g. the function name). */
    public JsonLog component(String name) {
        return new JsonLog(sink, clock, name, minimum);
    }

    /**
     * The same log writing only lines at {@code level} or above (a new logger writes every level; a function applies
     * its {@code log_level} once configured).
     */
    public JsonLog atLevel(LogLevel level) {
        return new JsonLog(sink, clock, component, level);
    }

    /** Per-message detail of normal operation (a delivered message): off on OCI unless {@code log_level} is DEBUG. */
    public Entry debug(String event) {
        return new Entry(LogFields.DEBUG, event, LogLevel.DEBUG);
    }

    public Entry info(String event) {
        return new Entry(LogFields.INFO, event, LogLevel.INFO);
    }

    public Entry warn(String event) {
        return new Entry(LogFields.WARN, event, LogLevel.WARN);
    }

    public Entry error(String event) {
        return new Entry(LogFields.ERROR, event, LogLevel.ERROR);
    }

    /** One log line under construction; {@link #write()} emits it. Not thread-safe (build it on one thread). */
    public final class Entry {
        private final ObjectNode node = JsonNodeFactory.instance.objectNode();
        private final boolean written;

        private Entry(String level, String event, LogLevel at) {
            this.written = minimum.admits(at);
            node.put(LogFields.TS, clock.instant().toString());
            node.put(LogFields.LEVEL, level);
            if (component != null) {
                node.put(LogFields.COMPONENT, component);
            }
            node.put(LogFields.EVENT, event);
        }

        public Entry syncId(String v) {
            return text(LogFields.SYNC_ID, v);
        }

        /** The W3C trace id of the message (null: none, nothing written). */
        public Entry traceId(String v) {
            return text(LogFields.TRACE_ID, v);
        }

        /** The trace id of a message's stored traceparent (nothing for a message without a valid one). */
        public Entry traceOf(dev.datasync.shared.contract.StreamMessage message) {
            return message == null ? this : traceId(message.trace().map(
                    dev.datasync.shared.contract.TraceParent::traceId).orElse(null));
        }

        /** A stream's name ({@code DataSyncStream}); an OCID goes in {@link #streamId}. */
        public Entry stream(String name) {
            return text(LogFields.STREAM, name);
        }

        /** A stream's OCID. */
        public Entry streamId(String ocid) {
            return text(LogFields.STREAM_ID, ocid);
        }

        /** The OCID of the error stream a failed message goes to. */
        public Entry errorStreamId(String ocid) {
            return text(LogFields.ERROR_STREAM_ID, ocid);
        }

        public Entry partition(String v) {
            return text(LogFields.PARTITION, v);
        }

        public Entry offset(long v) {
            node.put(LogFields.OFFSET, v);
            return this;
        }

        /** The index of an item in a request body that is a JSON array. */
        public Entry item(int index) {
            node.put(LogFields.ITEM, index);
            return this;
        }

        /** Only the host of a target, never its path or query (they may carry identifiers). */
        public Entry targetHost(String v) {
            return text(LogFields.TARGET_HOST, v);
        }

        public Entry status(int v) {
            node.put(LogFields.STATUS, v);
            return this;
        }

        /** A machine-readable error code: API error code, OCI service code, failure kind or exception class name. */
        public Entry code(String v) {
            return text(LogFields.CODE, v);
        }

        /** The request field at fault, as the error body names it. */
        public Entry field(String v) {
            return text(LogFields.FIELD, v);
        }

        public Entry attempt(int v) {
            node.put(LogFields.ATTEMPT, v);
            return this;
        }

        public Entry latencyMs(long v) {
            node.put(LogFields.LATENCY_MS, v);
            return this;
        }

        /** A number of things, named by what is counted; not one of the names of {@link LogFields}. */
        public Entry count(String name, long v) {
            node.put(name, v);
            return this;
        }

        /** The final state the work ended in, one word ("delivered", "routed", "endOfStream"...). */
        public Entry outcome(String v) {
            return text(LogFields.OUTCOME, v);
        }

        /**
         * A human-readable reason. Callers pass only their own wording, never request data (that is where secrets
         * live); codes go in {@link #code}.
         */
        public Entry reason(String v) {
            return text(LogFields.REASON, v);
        }

        /** The id of the source application of the message or request (null: none, nothing written). */
        public Entry sourceId(String v) {
            return text(LogFields.SOURCE_ID, v);
        }

        /** A key of per-key ordering as the held index names it (a hash, never the streamKey). */
        public Entry keyId(String v) {
            return text(LogFields.KEY_ID, v);
        }

        /** The syncId of the earlier undelivered message of the same key that this one waits behind. */
        public Entry heldBehind(String v) {
            return text(LogFields.HELD_BEHIND, v);
        }

        /** The name of an Object Storage object in its bucket (a bulk file, a result object). */
        public Entry object(String name) {
            return text(LogFields.OBJECT, name);
        }

        /** The number of a line of a bulk file (from 1). */
        public Entry line(long v) {
            node.put(LogFields.LINE, v);
            return this;
        }

        /** The name of a Vault secret (a reference, not the secret). */
        public Entry secretName(String v) {
            return text(LogFields.SECRET_NAME, v);
        }

        /** The version of the source's rules the message was judged and shaped by (null: none, nothing written). */
        public Entry rulesVersion(String v) {
            return text(LogFields.RULES_VERSION, v);
        }

        public Entry durationMs(long v) {
            node.put(LogFields.DURATION_MS, v);
            return this;
        }

        private Entry text(String name, String v) {
            if (v != null) {
                node.put(name, v);
            }
            return this;
        }

        /** Emits the line, unless its level is below the logger's. */
        public void write() {
            if (written) {
                sink.accept(Json.toText(node));
            }
        }
    }
}
