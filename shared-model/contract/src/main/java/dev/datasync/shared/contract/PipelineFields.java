package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fields the pipeline writes into a stored message ({@code syncId}, {@code receivedAt}, {@code sourceId},
 * {@code traceparent}: set by PopulateDataStream and the bulk ingest) and into its error-stream envelope ({@link #ENVELOPE}: set by the delivering functions'
 * routing). They are never taken from a caller: {@link SyncRequestReader} drops every one of them from a sync
 * request, so a caller can neither choose its source, nor pose as a replayed message, nor forge delivery history; and
 * the delivery of a message read from DataSyncStream ignores envelope fields in it (it has had no delivery yet).
 * A name is owned in any letter case ({@link #isOwned}): {@code DeliveryAttempts} next to the pipeline's
 * {@code deliveryAttempts} would be ambiguous to a reader that ignores case (a query over archived envelopes).
 * The payload is the caller's data, not the message's fields: a {@code deliveryAttempts} inside it is sent as is.
 */
public final class PipelineFields {

    /** Calls made to the target so far, over every delivery and replay. */
    public static final String DELIVERY_ATTEMPTS = "deliveryAttempts";
    /** {@code {status | kind, reason, at}} of the last failed delivery. */
    public static final String LAST_ERROR = "lastError";
    /** {@code {stream, partition, offset}} the failed message was read from (not the source application). */
    public static final String SOURCE = "source";
    /** The last attempts (at most ten), each {@code {at, status | kind, latencyMs}}. */
    public static final String ATTEMPTS = "attempts";
    /** When the message first failed (first routed to an error stream). */
    public static final String FIRST_FAILED_AT = "firstFailedAt";
    /** When the redrive tries it next. */
    public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    /** Redrive passes that tried it so far: the slot of {@code redrive_schedule} it is at. */
    public static final String REDRIVE_COUNT = "redriveCount";
    /**
     * The {@code deliverAfter} a delayed message waits for (routed with no call, not a failure): its first try, when
     * due, does not use up a slot of the redrive schedule.
     */
    public static final String DELAYED_UNTIL = "delayedUntil";
    /** The syncId of the undelivered earlier message of the same key it waits behind. */
    public static final String HELD_BEHIND = "heldBehind";
    /** Why it was dead-lettered: {@code maxAge}, {@code scheduleExhausted}, {@code corrupt}, {@code blockerDeadLettered}. */
    public static final String DEAD_LETTER_REASON = "deadLetterReason";
    /** When it was dead-lettered. */
    public static final String DEAD_LETTERED_AT = "deadLetteredAt";
    public static final String UNDECODABLE_VALUE = "undecodableValue";
    public static final String UNDECODABLE_VALUE_TRUNCATED = "undecodableValueTruncated";
    public static final String UNDECODABLE_JSON = "undecodableJson";
    public static final String VALUE_SHA256 = "valueSha256";
    public static final String VALUE_BYTES = "valueBytes";
    /**
     * The version of its source's rules that judged and shaped the message on its last delivery ({@code sha256:…},
     * see {@code dev.datasync.shared.rules.RulesVersion}); absent when its source had no rules then.
     */
    public static final String RULES_VERSION = "rulesVersion";

    /** The fields of an error-stream envelope: what a message read from DataSyncStream cannot have yet. */
    public static final Set<String> ENVELOPE = Set.of(DELIVERY_ATTEMPTS, LAST_ERROR, SOURCE, ATTEMPTS,
            FIRST_FAILED_AT, NEXT_ATTEMPT_AT, REDRIVE_COUNT, DELAYED_UNTIL, HELD_BEHIND, DEAD_LETTER_REASON,
            DEAD_LETTERED_AT,
            UNDECODABLE_VALUE, UNDECODABLE_VALUE_TRUNCATED, UNDECODABLE_JSON, VALUE_SHA256, VALUE_BYTES, RULES_VERSION);

    /** Every field the pipeline owns. */
    public static final Set<String> ALL = union(Set.of(StreamMessage.SYNC_ID, StreamMessage.RECEIVED_AT,
            StreamMessage.SOURCE_ID, StreamMessage.TRACEPARENT), ENVELOPE);

    private static final Set<String> ALL_LOWER_CASE = lowerCase(ALL);
    private static final Set<String> ENVELOPE_LOWER_CASE = lowerCase(ENVELOPE);

    private PipelineFields() {
    }

    /** Whether a message field of this name, in any letter case, is the pipeline's. */
    public static boolean isOwned(String name) {
        return ALL_LOWER_CASE.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Whether a message field of this name, in any letter case, is an {@link #ENVELOPE} field. */
    public static boolean isEnvelope(String name) {
        return ENVELOPE_LOWER_CASE.contains(name.toLowerCase(Locale.ROOT));
    }

    /** Removes from a message every {@link #isEnvelope envelope} field it has. */
    public static void removeEnvelope(ObjectNode message) {
        List<String> present = new ArrayList<>();
        message.fieldNames().forEachRemaining(name -> {
            if (isEnvelope(name)) {
                present.add(name);
            }
        });
        message.remove(present);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static Set<String> lowerCase(Set<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
