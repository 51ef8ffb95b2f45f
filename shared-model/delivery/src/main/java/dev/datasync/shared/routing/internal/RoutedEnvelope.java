package dev.datasync.shared.routing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.SyncLimits;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.internal.AttemptRecord;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value written to an error stream: the original stream message as decoded JSON (its {@code sourceId}
 * included, its payload as the exact text the caller sent), not the base64 text Service Connector Hub delivered, so
 * the Retry function reads it exactly as ReadDataStream did; plus
 * <ul>
 *   <li>{@code deliveryAttempts}: calls made to the target so far, over every delivery and replay (held at
 *   {@link Long#MAX_VALUE}, never wrapped to a negative count);</li>
 *   <li>{@code lastError}: {@code {status | kind, reason, at}} — our own wording, never a token or payload; kind
 *   {@code heldBack} marks a message not sent because an earlier one of its key failed, {@code circuitOpen} one
 *   not sent because its target's circuit breaker is open, {@code targetPaused} one not sent because its target
 *   asked for a pause (Retry-After) ending after the deadline;</li>
 *   <li>{@code source}: {@code {stream, partition, offset}} it was read from this time;</li>
 *   <li>{@code attempts}: the last {@link #MAX_ATTEMPTS} calls made to the target over every delivery, replay and
 *   redrive, each {@code {at, status | kind, latencyMs}};</li>
 *   <li>{@code firstFailedAt}: when the message first failed, set once and kept;</li>
 *   <li>{@code heldBehind} ({@link #heldBehind}): the syncId of the earlier undelivered message of its key that a
 *   held message waits behind; {@code deadLetterReason} {@code blockerDeadLettered} and {@code deadLetteredAt}
 *   ({@link #deadLetteredWithBlocker}) when it ends with that blocker.</li>
 * </ul>
 * The redrive's own fields ({@code nextAttemptAt}, {@code redriveCount}, {@code deadLetterReason},
 * {@code deadLetteredAt}) are added by a {@code FailureStamp} once the envelope's stream is known. A message that
 * leaves the DeadLetterStream (a person replayed it) starts its redrive over: its dead-letter fields,
 * {@code firstFailedAt}, {@code redriveCount} and {@code nextAttemptAt} are dropped.
 * A message whose value could not be decoded is kept whole as {@code undecodableValue} (the base64 text as
 * received), so nothing is lost and someone can still look at it — as long as the envelope fits in one OCI message.
 * One that would not (e.g. a ~1 MB value that is not JSON: base64 makes it ~1.33 MB) is written in its
 * {@link #capped} form instead; otherwise the error-stream write would be refused, the invocation would fail, and
 * Service Connector Hub would deliver the same batch again forever, stalling DataSyncStream.
 * <p>
 * Size: the added fields replace any earlier ones (a replayed envelope does not grow) and are bounded — texts
 * are cut at {@link #MAX_REASON_CHARS} / {@link #MAX_SOURCE_CHARS}, {@code attempts} keeps its last
 * {@link #MAX_ATTEMPTS} entries, each rewritten from checked values — so an envelope is at most
 * {@link #MAX_ADDED_BYTES} larger than the message it carries. With a message key (≤ 256 bytes) that fits in
 * {@link SyncLimits#ENVELOPE_HEADROOM_BYTES}, so every message populate accepts can be placed in an error stream.
 */
public final class RoutedEnvelope {

    // the envelope's own fields: the pipeline owns them, a sync request can never set them
    public static final String DELIVERY_ATTEMPTS = PipelineFields.DELIVERY_ATTEMPTS;
    public static final String LAST_ERROR = PipelineFields.LAST_ERROR;
    public static final String SOURCE = PipelineFields.SOURCE;
    public static final String UNDECODABLE_VALUE = PipelineFields.UNDECODABLE_VALUE;
    public static final String UNDECODABLE_VALUE_TRUNCATED = PipelineFields.UNDECODABLE_VALUE_TRUNCATED;
    public static final String UNDECODABLE_JSON = PipelineFields.UNDECODABLE_JSON;
    public static final String VALUE_SHA256 = PipelineFields.VALUE_SHA256;
    public static final String VALUE_BYTES = PipelineFields.VALUE_BYTES;
    public static final String ATTEMPTS = PipelineFields.ATTEMPTS;
    public static final String FIRST_FAILED_AT = PipelineFields.FIRST_FAILED_AT;

    /** Entries of {@code attempts} kept: the most recent calls. */
    public static final int MAX_ATTEMPTS = 10;
    /** A {@code kind} an {@code attempts} entry may carry (the FailureKind selectors). */
    private static final Pattern KIND = Pattern.compile("[A-Za-z]{1,32}");
    public static final String HELD_BEHIND = PipelineFields.HELD_BEHIND;
    public static final String DEAD_LETTER_REASON = PipelineFields.DEAD_LETTER_REASON;
    public static final String DEAD_LETTERED_AT = PipelineFields.DEAD_LETTERED_AT;
    /** The {@code deadLetterReason} of a message that ends with the blocker it was held behind. */
    public static final String BLOCKER_DEAD_LETTERED = "blockerDeadLettered";

    /** Bytes of a value kept (base64-encoded: 64 KiB of text) in a {@link #capped} envelope. */
    public static final int CAPPED_PREFIX_BYTES = 48 * 1024;
    /** Chars of a value kept in a {@link #capped} envelope when it is text that could not be base64-decoded. */
    public static final int CAPPED_PREFIX_CHARS = 64 * 1024;
    /** Longest {@code syncId} kept in a {@link #capped} envelope. */
    static final int CAPPED_SYNC_ID_CHARS = 256;

    /** Longest {@code lastError.reason} kept, in chars; a longer one is cut and ends with {@link #CUT}. */
    public static final int MAX_REASON_CHARS = 512;
    /** Longest {@code source.stream} / {@code source.partition} kept, in chars (OCIDs and names are far shorter). */
    public static final int MAX_SOURCE_CHARS = 256;
    static final String CUT = "...";

    /**
     * Upper bound of the bytes the added fields take in the serialised envelope: each bounded text counted at 6
     * bytes a char (the longest form Jackson writes a char in is a six-char unicode escape), plus field names,
     * punctuation, two longs and a timestamp with room to spare. RoutedEnvelopeTest checks it with the longest
     * inputs and that it fits in the headroom together with a 256-byte key.
     */
    public static final int MAX_ADDED_BYTES = 6 * (MAX_REASON_CHARS + CUT.length())
            + 2 * 6 * (MAX_SOURCE_CHARS + CUT.length()) + 512
            // attempts (ten entries of ~125 bytes at most) and the redrive's timestamps, count and reason
            + 2048
            // heldBehind
            + 6 * (CAPPED_SYNC_ID_CHARS + CUT.length()) + 128;

    private RoutedEnvelope() {
    }

    /** @param original the decoded message (a JSON object), or null when undecodable */
    public static ObjectNode build(JsonNode original, String undecodableValue, DeliveryOutcome outcome, Source source) {
        ObjectNode env;
        long previousAttempts = 0;
        if (original != null && original.isObject()) {
            env = ((ObjectNode) original).deepCopy();
            previousAttempts = attemptsSoFar(env);
            leaveDeadLetter(env);
        } else {
            env = JsonNodeFactory.instance.objectNode();
            if (original != null) {
                // valid JSON but not an object: kept as it was
                env.set(UNDECODABLE_JSON, original);
            }
            if (undecodableValue != null) {
                env.put(UNDECODABLE_VALUE, undecodableValue);
            }
        }
        // a replayed envelope waits behind whatever it is held behind now, if anything
        env.remove(HELD_BEHIND);
        env.put(DELIVERY_ATTEMPTS, saturatedSum(previousAttempts, outcome.attempts()));
        ObjectNode err = env.putObject(LAST_ERROR);
        if (outcome.failure().status() != null) {
            err.put("status", outcome.failure().status());
        } else {
            err.put("kind", outcome.failure().kind().selector());
        }
        err.put("reason", cut(outcome.failure().reason(), MAX_REASON_CHARS));
        err.put("at", outcome.at().toString());
        ObjectNode src = env.putObject(SOURCE);
        if (source != null) {
            src.put("stream", cut(source.stream(), MAX_SOURCE_CHARS));
            src.put("partition", cut(source.partition(), MAX_SOURCE_CHARS));
            if (source.offset() != null) {
                src.put("offset", source.offset());
            } else {
                src.putNull("offset");
            }
        }
        env.set(ATTEMPTS, attempts(env.get(ATTEMPTS), outcome.calls()));
        if (instant(env.get(FIRST_FAILED_AT)) == null) {
            Instant first = outcome.calls().isEmpty() ? outcome.at() : outcome.calls().get(0).at();
            env.put(FIRST_FAILED_AT, first.toString());
        }
        return env;
    }

    /** The timestamp a field holds, or null when it is absent or not an ISO-8601 instant. */
    public static Instant instant(JsonNode field) {
        if (field == null || !field.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(field.asText());
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A message read from the DeadLetterStream and routed again starts its redrive over (see the class). */
    private static void leaveDeadLetter(ObjectNode env) {
        if (env.has(PipelineFields.DEAD_LETTER_REASON)) {
            env.remove(List.of(PipelineFields.DEAD_LETTER_REASON, PipelineFields.DEAD_LETTERED_AT, FIRST_FAILED_AT,
                    PipelineFields.REDRIVE_COUNT, PipelineFields.NEXT_ATTEMPT_AT));
        }
    }

    /**
     * The {@code attempts} a message has after {@code calls}: those its envelope listed (when it was read back from
     * an error stream) and these, as an envelope would list them — what a delivered message's callback reports.
     */
    public static ArrayNode attemptsAfter(JsonNode original, List<AttemptRecord> calls) {
        return attempts(original == null ? null : original.get(ATTEMPTS), calls);
    }

    /**
     * The earlier entries that are well-formed (anything else is dropped: the pipeline wrote them, so a malformed
     * one says nothing worth keeping) followed by this outcome's calls, the last {@link #MAX_ATTEMPTS} of them.
     */
    private static ArrayNode attempts(JsonNode earlier, List<AttemptRecord> calls) {
        List<ObjectNode> all = new ArrayList<>();
        if (earlier != null && earlier.isArray()) {
            for (JsonNode e : earlier) {
                ObjectNode kept = checkedAttempt(e);
                if (kept != null) {
                    all.add(kept);
                }
            }
        }
        for (AttemptRecord c : calls) {
            all.add(attempt(c.at(), c.status(), c.kind(), c.latencyMs()));
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        all.subList(Math.max(0, all.size() - MAX_ATTEMPTS), all.size()).forEach(out::add);
        return out;
    }

    private static ObjectNode checkedAttempt(JsonNode e) {
        Instant at = e == null ? null : instant(e.get("at"));
        if (at == null || !e.path("latencyMs").canConvertToLong()) {
            return null;
        }
        JsonNode status = e.get("status");
        JsonNode kind = e.get("kind");
        long latency = Math.max(0, e.path("latencyMs").asLong());
        if (status != null && status.canConvertToInt() && status.asInt() >= 100 && status.asInt() <= 599) {
            return attempt(at, status.asInt(), null, latency);
        }
        if (kind != null && kind.isTextual() && KIND.matcher(kind.asText()).matches()) {
            return attempt(at, null, kind.asText(), latency);
        }
        return null;
    }

    private static ObjectNode attempt(Instant at, Integer status, String kind, long latencyMs) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("at", at.toString());
        if (status != null) {
            a.put("status", status);
        } else {
            a.put("kind", kind);
        }
        a.put("latencyMs", latencyMs);
        return a;
    }

    /**
     * Marks a held message with the syncId of the earlier undelivered message of its key it waits behind (cut
     * like a capped envelope's syncId, so the bound holds).
     */
    public static ObjectNode heldBehind(ObjectNode env, String blockerSyncId) {
        return env.put(HELD_BEHIND, cut(blockerSyncId, CAPPED_SYNC_ID_CHARS));
    }

    /** Marks a message that ends with the blocker it was held behind ({@code held_on_dead_letter=deadLetter}). */
    public static ObjectNode deadLetteredWithBlocker(ObjectNode env, Instant at) {
        env.put(DEAD_LETTER_REASON, BLOCKER_DEAD_LETTERED);
        // ended: nobody tries it again
        env.remove(PipelineFields.NEXT_ATTEMPT_AT);
        return env.put(DEAD_LETTERED_AT, at.toString());
    }

    /** Whether a routed message with this key and envelope fits in one OCI Streaming message. */
    public static boolean fits(String key, byte[] envelope) {
        long keyBytes = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
        return keyBytes + envelope.length <= SyncLimits.OCI_MESSAGE_BYTES;
    }

    /**
     * The envelope for a message whose {@link #build whole envelope} would not fit in one OCI message: the
     * message's {@code syncId} and {@code sourceId} (when it has them), {@code undecodableValue} = a prefix of the
     * value (base64 of its first {@link #CAPPED_PREFIX_BYTES} bytes, or the first {@link #CAPPED_PREFIX_CHARS} chars
     * of text that could not be base64-decoded), {@code undecodableValueTruncated: true}, {@code valueSha256} (hex)
     * and {@code valueBytes} of the whole value as received, plus the usual added fields. The whole value stays addressable at
     * {@code source {stream, partition, offset}} for the stream's retention. At most ~400 KB whatever the input.
     *
     * @param original the decoded message if it was JSON, else null
     * @param value    the value's bytes, or null when it could not be decoded
     * @param rawValue what was received when it could not be decoded (else ignored)
     */
    public static ObjectNode capped(JsonNode original, byte[] value, String rawValue, DeliveryOutcome outcome,
                                    Source source) {
        byte[] whole = value != null ? value
                : rawValue != null ? rawValue.getBytes(StandardCharsets.UTF_8) : new byte[0];
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        if (original != null && original.isObject()) {
            JsonNode syncId = original.get(StreamMessage.SYNC_ID);
            if (syncId != null && syncId.isTextual()) {
                kept.put(StreamMessage.SYNC_ID, cut(syncId.asText(), CAPPED_SYNC_ID_CHARS));
            }
            JsonNode sourceId = original.get(StreamMessage.SOURCE_ID);
            if (sourceId != null && sourceId.isTextual()) {
                // a source id is at most 32 characters (and a longer one is no source id: kept cut, still invalid)
                kept.put(StreamMessage.SOURCE_ID, cut(sourceId.asText(), CAPPED_SYNC_ID_CHARS));
            }
            if (original.has(DELIVERY_ATTEMPTS)) {
                kept.put(DELIVERY_ATTEMPTS, attemptsSoFar(original));
            }
            // the redrive's history, so a capped message keeps its place in the schedule
            for (String field : List.of(ATTEMPTS, FIRST_FAILED_AT, PipelineFields.REDRIVE_COUNT,
                    PipelineFields.NEXT_ATTEMPT_AT, PipelineFields.DEAD_LETTER_REASON)) {
                JsonNode v = original.get(field);
                if (v != null && (v.isArray() || v.isTextual() && v.asText().length() <= 64 || v.isIntegralNumber())) {
                    kept.set(field, v);
                }
            }
        }
        String prefix = value != null
                ? Base64.getEncoder().encodeToString(Arrays.copyOf(value, Math.min(value.length, CAPPED_PREFIX_BYTES)))
                : rawValue == null ? null : rawValue.length() <= CAPPED_PREFIX_CHARS ? rawValue
                : rawValue.substring(0, Character.isHighSurrogate(rawValue.charAt(CAPPED_PREFIX_CHARS - 1))
                ? CAPPED_PREFIX_CHARS - 1 : CAPPED_PREFIX_CHARS);
        if (prefix != null) {
            kept.put(UNDECODABLE_VALUE, prefix);
        }
        kept.put(UNDECODABLE_VALUE_TRUNCATED, true);
        kept.put(VALUE_SHA256, sha256Hex(whole));
        kept.put(VALUE_BYTES, whole.length);
        // build() copies the object and adds deliveryAttempts (on top of the kept count), lastError and source
        return build(kept, null, outcome, source);
    }

    /**
     * The {@code deliveryAttempts} a message carries: a count of at least 0, {@link Long#MAX_VALUE} for an integer
     * beyond it (never wrapped round to a negative or small count), 0 for anything that is no number.
     */
    static long attemptsSoFar(JsonNode message) {
        JsonNode n = message.path(DELIVERY_ATTEMPTS);
        if (!n.isNumber()) {
            return 0;
        }
        if (n.isIntegralNumber() && !n.canConvertToLong()) {
            return n.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : 0;
        }
        // a double beyond the long range converts to Long.MAX_VALUE (or MIN_VALUE), NaN to 0
        return Math.max(0, n.asLong());
    }

    /** {@code a + b} for two counts (≥ 0), held at {@link Long#MAX_VALUE} instead of overflowing to a negative. */
    static long saturatedSum(long a, long b) {
        return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** {@code text} cut to {@code max} chars (never inside a surrogate pair) with {@link #CUT} appended. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + CUT;
    }
}
