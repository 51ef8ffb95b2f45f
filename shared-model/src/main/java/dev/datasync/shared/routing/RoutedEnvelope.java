package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.delivery.Outcome;
import dev.datasync.shared.delivery.Source;

/**
 * The value written to an error stream: the original stream message as decoded JSON (so the Retry function can
 * parse it again — the reference wrote the still-base64 connector value), plus
 * <ul>
 *   <li>{@code deliveryAttempts}: calls made to the target so far, over every delivery and replay;</li>
 *   <li>{@code lastError}: {@code {status | kind, reason, at}} — our own wording, never a token or payload;</li>
 *   <li>{@code source}: {@code {stream, partition, offset}} it was read from this time.</li>
 * </ul>
 * A message whose value could not be decoded is kept whole as {@code undecodableValue} (the base64 text as
 * received), so nothing is lost and someone can still look at it.
 */
public final class RoutedEnvelope {

    public static final String DELIVERY_ATTEMPTS = "deliveryAttempts";
    public static final String LAST_ERROR = "lastError";
    public static final String SOURCE = "source";
    public static final String UNDECODABLE_VALUE = "undecodableValue";

    private RoutedEnvelope() {
    }

    /** @param original the decoded message (a JSON object), or null when undecodable */
    public static ObjectNode build(JsonNode original, String undecodableValue, Outcome outcome, Source source) {
        ObjectNode env;
        long previousAttempts = 0;
        if (original != null && original.isObject()) {
            env = ((ObjectNode) original).deepCopy();
            previousAttempts = Math.max(0, env.path(DELIVERY_ATTEMPTS).asLong(0));
        } else {
            env = JsonNodeFactory.instance.objectNode();
            if (original != null) {
                // valid JSON but not an object: kept as it was
                env.set("undecodableJson", original);
            }
            if (undecodableValue != null) {
                env.put(UNDECODABLE_VALUE, undecodableValue);
            }
        }
        env.put(DELIVERY_ATTEMPTS, previousAttempts + outcome.attempts());
        ObjectNode err = env.putObject(LAST_ERROR);
        if (outcome.failure().status() != null) {
            err.put("status", outcome.failure().status());
        } else {
            err.put("kind", outcome.failure().kind().selector());
        }
        err.put("reason", outcome.failure().reason());
        err.put("at", outcome.at().toString());
        ObjectNode src = env.putObject(SOURCE);
        if (source != null) {
            src.put("stream", source.stream());
            src.put("partition", source.partition());
            if (source.offset() != null) {
                src.put("offset", source.offset());
            } else {
                src.putNull("offset");
            }
        }
        return env;
    }
}
