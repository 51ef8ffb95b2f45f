package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * Reads one sync request object ({@code {"streamKey", "streamMessage"}}) into a {@link SyncRequest}, or the 400
 * error naming the field. The fields the pipeline owns ({@link PipelineFields}: syncId, receivedAt, sourceId,
 * deliveryAttempts, lastError..., in any letter case) are dropped from the caller's streamMessage before anything
 * looks at it: they are set on acceptance and by the delivering functions, never by a caller. Members of the request
 * object other than streamKey and streamMessage are not read, so nothing a caller puts beside them is stored.
 */
public final class SyncRequestReader {

    /** OCI Streaming's limit on a message key. */
    public static final int MAX_KEY_BYTES = 256;

    private SyncRequestReader() {
    }

    public static Validated<SyncRequest> read(JsonNode node, boolean allowHttp) {
        if (node == null || !node.isObject()) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, "a sync request must be a JSON object", null);
        }
        String key = null;
        JsonNode k = node.get("streamKey");
        if (k != null && !k.isNull()) {
            if (!k.isTextual()) {
                return Validated.refused(ErrorCodes.INVALID_FIELD, "streamKey must be a string", "streamKey");
            }
            if (k.asText().getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
                return Validated.refused(ErrorCodes.TOO_LARGE,
                        "streamKey is longer than " + MAX_KEY_BYTES + " bytes", "streamKey");
            }
            key = k.asText().isEmpty() ? null : k.asText();
        }
        Validated<StreamMessage> message = StreamMessageValidator.validate(withoutPipelineFields(
                node.get("streamMessage")), allowHttp, "streamMessage");
        if (!message.isOk()) {
            return Validated.refused(message.error());
        }
        return Validated.ok(new SyncRequest(key, message.value()));
    }

    /**
     * The caller's streamMessage without the fields the pipeline owns (a shallow copy; anything else as it is, the
     * payload included).
     */
    private static JsonNode withoutPipelineFields(JsonNode message) {
        if (message == null || !message.isObject()) {
            return message;
        }
        ObjectNode callerPart = JsonNodeFactory.instance.objectNode();
        message.fields().forEachRemaining(e -> {
            if (!PipelineFields.isOwned(e.getKey())) {
                callerPart.set(e.getKey(), e.getValue());
            }
        });
        return callerPart;
    }
}
