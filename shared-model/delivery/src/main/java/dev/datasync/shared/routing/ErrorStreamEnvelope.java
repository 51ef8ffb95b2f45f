package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.ExactJson;
import dev.datasync.shared.routing.internal.RoutedEnvelope;

import java.io.IOException;
import java.time.Instant;

/**
 * A message read back from an error stream, checked the one way the manual replay and the redrive both check it:
 * either an envelope ({@code node}, a JSON object with its payload kept exact, and its redrive fields), or corrupt —
 * it cannot be decoded, is not a JSON object, or a redrive field ({@code firstFailedAt}, {@code nextAttemptAt},
 * {@code redriveCount}, {@code attempts}) is malformed — with the {@code problem} found. A corrupt
 * message is dead-lettered ({@link DeadLetterReason#CORRUPT}) and never blocks its stream or its key.
 * <p>
 * The redrive fields: {@code firstFailedAt} (when absent, the envelope's {@code lastError.at}, else null),
 * {@code nextAttemptAt} (null: due now — a message routed before the redrive existed), {@code redriveCount}
 * (absent: 0).
 */
public record ErrorStreamEnvelope(ObjectNode node, Instant firstFailedAt, Instant nextAttemptAt, int redriveCount,
                                  String problem) {

    public boolean corrupt() {
        return problem != null;
    }

    /** Whether its next attempt is due at {@code now}. */
    public boolean dueAt(Instant now) {
        return nextAttemptAt == null || !nextAttemptAt.isAfter(now);
    }

    public static ErrorStreamEnvelope read(InboundMessage m) {
        if (m.value() == null) {
            return corrupt(m.problem() == null ? "the message value could not be decoded" : m.problem());
        }
        JsonNode node;
        try {
            // the payload as the exact text it arrived in: a dead-lettered envelope carries it unchanged
            node = ExactJson.parse(m.value(), StreamMessage.TARGET_REST_API_PAYLOAD);
        } catch (IOException e) {
            return corrupt("the message value is not JSON");
        }
        if (node == null || !node.isObject()) {
            return corrupt("the message value is not a JSON object");
        }
        return check((ObjectNode) node);
    }

    private static ErrorStreamEnvelope check(ObjectNode env) {
        Instant first = null;
        Instant next = null;
        if (env.hasNonNull(PipelineFields.FIRST_FAILED_AT)) {
            first = RoutedEnvelope.instant(env.get(PipelineFields.FIRST_FAILED_AT));
            if (first == null) {
                return corrupt(env, PipelineFields.FIRST_FAILED_AT + " is not an ISO-8601 timestamp");
            }
        }
        if (env.hasNonNull(PipelineFields.NEXT_ATTEMPT_AT)) {
            next = RoutedEnvelope.instant(env.get(PipelineFields.NEXT_ATTEMPT_AT));
            if (next == null) {
                return corrupt(env, PipelineFields.NEXT_ATTEMPT_AT + " is not an ISO-8601 timestamp");
            }
        }
        int count = 0;
        JsonNode c = env.get(PipelineFields.REDRIVE_COUNT);
        if (c != null && !c.isNull()) {
            if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 0) {
                return corrupt(env, PipelineFields.REDRIVE_COUNT + " is not a whole number >= 0");
            }
            count = c.asInt();
        }
        JsonNode a = env.get(PipelineFields.ATTEMPTS);
        if (a != null && !a.isNull() && !a.isArray()) {
            return corrupt(env, PipelineFields.ATTEMPTS + " is not an array");
        }
        if (first == null) {
            first = RoutedEnvelope.instant(env.path(PipelineFields.LAST_ERROR).get("at"));
        }
        return new ErrorStreamEnvelope(env, first, next, count, null);
    }

    private static ErrorStreamEnvelope corrupt(String problem) {
        return new ErrorStreamEnvelope(null, null, null, 0, problem);
    }

    /** Corrupt, but a JSON object: kept as it is in the dead-letter envelope. */
    private static ErrorStreamEnvelope corrupt(ObjectNode env, String problem) {
        return new ErrorStreamEnvelope(env, null, null, 0, problem);
    }
}
