package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;

/**
 * {@code streamMessage.callbackUrl}: where the pipeline POSTs the message's outcome once it ends (delivered,
 * dead-lettered or unrecoverable; each fanned-out target on its own). Optional; a URL of the same form as
 * {@code targetRestApi} ({@link StreamMessageValidator#urlProblem}), and the sync checker admits it through the
 * same target guard and allow-lists (global and the source's) as a target. It is a caller field: stored with the
 * message and kept through every envelope. The one place that reads it: the validator, the sync checker and the
 * pipeline (whom to call back) all call this.
 */
public final class CallbackUrl {

    public static final String FIELD = "callbackUrl";

    private CallbackUrl() {
    }

    /**
     * The callback URL a message names, null when it has none.
     *
     * @throws IllegalArgumentException when the field is there but is not an acceptable URL
     */
    public static URI of(JsonNode streamMessage, boolean allowHttp) {
        JsonNode v = streamMessage == null ? null : streamMessage.get(FIELD);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("callbackUrl must be a string");
        }
        String problem = StreamMessageValidator.urlProblem(FIELD, v.asText(), allowHttp);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return URI.create(v.asText());
    }

    /** The callback URL of a validated message, null when it has none. */
    public static URI of(StreamMessage message) {
        JsonNode v = message.extra().get(FIELD);
        return v != null && v.isTextual() ? URI.create(v.asText()) : null;
    }
}
