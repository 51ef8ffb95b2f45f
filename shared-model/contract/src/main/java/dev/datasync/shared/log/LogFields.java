package dev.datasync.shared.log;

import java.util.List;

/**
 * The field names of the project's JSON log lines, spelled once. Every component writes them: the functions
 * through {@link JsonLog}, the local runtime through its {@code RuntimeLog}; local-oci, which must not depend on
 * shared-model, spells the same names itself and local-runtime's {@code LogVocabularyTest} holds it to them. Each
 * name has one meaning and one kind of value, so one filter ({@code jq 'select(.streamId == "...")'}) finds a
 * thing in every component's lines.
 *
 * <p>Every line starts with {@link #FIXED}: {@code ts}, {@code level}, {@code component}, {@code event}, then the
 * event's fields. Counts written with {@link JsonLog.Entry#count} are named by what they count ({@code delivered},
 * {@code routed}...) and never reuse a name of this class.
 */
public final class LogFields {

    // ---- on every line, in this order ----

    /** When the line was written: RFC 3339, UTC ({@code 2026-11-25T06:00:00.123Z}). */
    public static final String TS = "ts";
    /** {@code INFO}, {@code WARN} or {@code ERROR}. */
    public static final String LEVEL = "level";
    /** Who wrote the line: a function ({@code read-data-stream-fn}), a local-runtime part, {@code local-oci}. */
    public static final String COMPONENT = "component";
    /** What happened, one fixed word per kind of line ({@code sync.accepted}, {@code read_failed}). */
    public static final String EVENT = "event";

    /** The four fields every line starts with, in their order. */
    public static final List<String> FIXED = List.of(TS, LEVEL, COMPONENT, EVENT);

    // ---- what the line is about ----

    /** The syncId of a message (the Idempotency-Key its target receives). */
    public static final String SYNC_ID = "syncId";
    /** The W3C trace id a message carries (32 hex digits), on every line about it once it has one. */
    public static final String TRACE_ID = "traceId";
    /**
     * A stream's NAME ({@code DataSyncStream}), as Service Connector Hub and the declaration name it. Never an
     * OCID: where only the OCID is known, it goes in {@link #STREAM_ID}.
     */
    public static final String STREAM = "stream";
    /** A stream's OCID ({@code ocid1.stream...}): the configuration and the Retry request know streams by OCID. */
    public static final String STREAM_ID = "streamId";
    /** The OCID of the error stream a failed message is routed to (the message's own stream stays in streamId). */
    public static final String ERROR_STREAM_ID = "errorStreamId";
    /** A partition of a stream, as text ({@code "0"}), as OCI Streaming names partitions. */
    public static final String PARTITION = "partition";
    /** A message's offset in its partition (a number). */
    public static final String OFFSET = "offset";
    /** The index of an item in a request body that is a JSON array (a number, from 0). */
    public static final String ITEM = "item";
    /** The host of a delivery target; never its path or query, which may carry identifiers. */
    public static final String TARGET_HOST = "targetHost";
    /** The name of a Vault secret (a reference to the secret, not its content). */
    public static final String SECRET_NAME = "secretName";
    /**
     * The id of the source application a message or request came from ({@code orders-app}), as the gateway verified
     * it. Not {@code source}: an error envelope's {@code source} is where a failed message was read from.
     */
    public static final String SOURCE_ID = "sourceId";
    /**
     * A key of per-key ordering (source id and streamKey) as the held index names it: a hash, never the streamKey
     * itself.
     */
    public static final String KEY_ID = "keyId";
    /** The syncId of the earlier undelivered message of the same key that a message waits behind. */
    public static final String HELD_BEHIND = "heldBehind";
    /**
     * The name of an Object Storage object inside its bucket ({@code incoming/orders-app/2026-01-01.jsonl}): a bulk
     * file, its result object. Names only, never content.
     */
    public static final String OBJECT = "object";
    /** A line of a bulk file, by its number (from 1). */
    public static final String LINE = "line";

    // ---- what came of it ----

    /** An HTTP status (a number): the one answered, or the one received from OCI or a target. */
    public static final String STATUS = "status";
    /**
     * A machine-readable error code: an API error code of this service ({@code TargetNotAllowed}), an OCI service
     * code ({@code NotAuthorizedOrNotFound}), a delivery failure kind ({@code network}), or an exception's simple
     * class name when nothing more precise exists.
     */
    public static final String CODE = "code";
    /** The request field at fault, as the error body names it ({@code streamMessage.targetRestApi}). */
    public static final String FIELD = "field";
    /**
     * Why, for a person: the component's own wording. Never request data (payloads, headers, tokens): that is
     * where secrets live.
     */
    public static final String REASON = "reason";
    /** The final state a piece of work ended in, one word ({@code routed}, {@code endOfStream}, {@code partial}). */
    public static final String OUTCOME = "outcome";
    /** Which attempt this is (from 1); on a line that closes a piece of work, the number of attempts made. */
    public static final String ATTEMPT = "attempt";
    /** Time one call took, in milliseconds. */
    public static final String LATENCY_MS = "latencyMs";
    /** Time a whole piece of work took (a batch, a sweep, a call), in milliseconds. */
    public static final String DURATION_MS = "durationMs";
    /**
     * The version of a source's rules (filter, transform) a message was judged and shaped by: {@code sha256:} and
     * the first 16 hex digits of the rules object's SHA-256 (the same text as the envelope's {@code rulesVersion}).
     */
    public static final String RULES_VERSION = "rulesVersion";

    /** Every name above. */
    public static final List<String> ALL = List.of(TS, LEVEL, COMPONENT, EVENT, SYNC_ID, TRACE_ID, STREAM, STREAM_ID,
            ERROR_STREAM_ID, PARTITION, OFFSET, ITEM, TARGET_HOST, SECRET_NAME, SOURCE_ID, KEY_ID, HELD_BEHIND,
            OBJECT, LINE, STATUS,
            CODE, FIELD, REASON, OUTCOME, ATTEMPT, LATENCY_MS, DURATION_MS, RULES_VERSION);

    /** The level words, in the {@link #LEVEL} field. */
    public static final String DEBUG = "DEBUG";
    public static final String INFO = "INFO";
    public static final String WARN = "WARN";
    public static final String ERROR = "ERROR";

    /** True for a value in the form of an OCID ({@code ocid1.<type>.…}): such a value goes in an {@code ...Id} field. */
    public static boolean isOcid(String value) {
        return value != null && value.startsWith("ocid1.");
    }

    private LogFields() {
    }
}
