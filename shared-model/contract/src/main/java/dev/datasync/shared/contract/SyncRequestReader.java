package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;

/**
 * Reads one sync request object ({@code {"streamKey", "streamMessage"}}) into a {@link SyncRequest}, or the 400
 * error naming the field. syncId/receivedAt sent by a caller are dropped: they are assigned on acceptance.
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
        Validated<StreamMessage> message = StreamMessageValidator.validate(node.get("streamMessage"), allowHttp,
                "streamMessage");
        if (!message.isOk()) {
            return Validated.refused(message.error());
        }
        StreamMessage m = message.value();
        return Validated.ok(new SyncRequest(key, m.withSyncId(null, null)));
    }
}
