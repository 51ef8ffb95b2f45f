package dev.datasync.shared.delivery.internal;

import dev.datasync.shared.contract.Header;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.json.ExactJson;

import java.net.URI;
import java.util.List;

/**
 * One call to make to a target, built from a validated stored message. {@code body} is the payload's JSON text as
 * the caller sent it (byte for byte when the message was read with its payload exact), null when the message has
 * no payload. {@code vaultSecretName} is null when the target is called without a token. {@code sourceId} is the
 * source application that sent the message: its token and its allow-list apply (null for a message accepted before
 * sources existed). {@code rulesVersion}: the version of the source's rules that judged the message and, with a
 * transform, produced {@code body} (null: its source has no rules, the payload goes as received). {@code trace} is
 * the traceparent the message was accepted with: each call carries its trace id with a new span id (null for a
 * message accepted before traces existed: its calls carry none of ours).
 */
public record DeliveryRequest(String syncId,
                              URI target,
                              String method,
                              byte[] body,
                              List<Header> headers,
                              String vaultSecretName,
                              String sourceId,
                              String rulesVersion,
                              TraceParent trace) {

    public DeliveryRequest {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A call with no rules applied and no trace. */
    public DeliveryRequest(String syncId, URI target, String method, byte[] body, List<Header> headers,
                           String vaultSecretName, String sourceId) {
        this(syncId, target, method, body, headers, vaultSecretName, sourceId, null, null);
    }

    /** A call without a trace. */
    public DeliveryRequest(String syncId, URI target, String method, byte[] body, List<Header> headers,
                           String vaultSecretName, String sourceId, String rulesVersion) {
        this(syncId, target, method, body, headers, vaultSecretName, sourceId, rulesVersion, null);
    }

    /**
     * This call as its source's rules (version {@code version}) decided it: with {@code shapedBody}, a transform's
     * value, or with the body as received when {@code shapedBody} is null (a filter alone).
     */
    public DeliveryRequest judgedBy(String version, byte[] shapedBody) {
        return new DeliveryRequest(syncId, target, method, shapedBody != null ? shapedBody : body, headers,
                vaultSecretName, sourceId, version, trace);
    }

    /** The trace id for log lines (null: none). */
    public String traceId() {
        return trace == null ? null : trace.traceId();
    }

    /** The call a validated {@link StreamMessage} asks for (the validator has already checked URL and method). */
    public static DeliveryRequest of(StreamMessage message) {
        byte[] body = message.targetRestApiPayload() == null || message.targetRestApiPayload().isNull()
                || message.targetRestApiPayload().isMissingNode()
                ? null : ExactJson.bytes(message.targetRestApiPayload());
        return new DeliveryRequest(message.syncId(), URI.create(message.targetRestApi()),
                message.targetRestApiOperation(), body, message.targetRestApiHeaders(), message.vaultSecretName(),
                message.sourceId(), null, message.trace().orElse(null));
    }
}
