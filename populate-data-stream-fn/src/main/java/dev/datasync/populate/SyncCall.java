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
 */
public record SyncCall(String method, Optional<String> contentType, Optional<String> authorization,
                       Optional<String> sourceId, byte[] body, List<String> idempotencyKey) {

    public SyncCall {
        idempotencyKey = List.copyOf(idempotencyKey);
    }

    /** A call without Idempotency-Key. */
    public SyncCall(String method, Optional<String> contentType, Optional<String> authorization,
                    Optional<String> sourceId, byte[] body) {
        this(method, contentType, authorization, sourceId, body, List.of());
    }

    /** This call with an Idempotency-Key. */
    public SyncCall withIdempotencyKey(String key) {
        return new SyncCall(method, contentType, authorization, sourceId, body, List.of(key));
    }
}
