package dev.datasync.populate;

import java.util.List;
import java.util.Optional;

/**
 * One {@code POST /stream/sync} as the handler needs it: the gateway's method, the client's Content-Type,
 * Authorization and Idempotency-Key headers, the source id the gateway verified and set
 * ({@code X-DataSync-Source-Id}), and the body.
 *
 * @param method         "" when invoked directly, treated as POST
 * @param authorization  the target's token, if any (never logged)
 * @param idempotencyKey every value of the client's {@code Idempotency-Key} header (empty: none; more than one is
 *                       refused)
 * @param traceparent    the client's W3C {@code traceparent} header, if any (an invalid one is ignored)
 */
public record SyncCall(String method, Optional<String> contentType, Optional<String> authorization,
                       Optional<String> sourceId, byte[] body, List<String> idempotencyKey,
                       Optional<String> traceparent) {

    public SyncCall {
        idempotencyKey = List.copyOf(idempotencyKey);
        traceparent = traceparent == null ? Optional.empty() : traceparent;
    }

    /** A call without traceparent. */
    public SyncCall(String method, Optional<String> contentType, Optional<String> authorization,
                    Optional<String> sourceId, byte[] body, List<String> idempotencyKey) {
        this(method, contentType, authorization, sourceId, body, idempotencyKey, Optional.empty());
    }

    /** A call without Idempotency-Key. */
    public SyncCall(String method, Optional<String> contentType, Optional<String> authorization,
                    Optional<String> sourceId, byte[] body) {
        this(method, contentType, authorization, sourceId, body, List.of());
    }

    /** This call with an Idempotency-Key. */
    public SyncCall withIdempotencyKey(String key) {
        return new SyncCall(method, contentType, authorization, sourceId, body, List.of(key), traceparent);
    }

    /** This call with a traceparent header. */
    public SyncCall withTraceparent(String header) {
        return new SyncCall(method, contentType, authorization, sourceId, body, idempotencyKey,
                Optional.ofNullable(header));
    }
}
