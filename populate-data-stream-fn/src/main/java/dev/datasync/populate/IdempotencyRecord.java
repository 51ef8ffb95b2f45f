package dev.datasync.populate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The state object of one source's {@code Idempotency-Key} ({@code idempotency/<sourceId>/<sha256 of key>.json}):
 * the SHA-256 of the body it was first used with, the syncIds of that body's items (one per item, given before
 * anything is written so that a request taking over reuses them), and either a lease (pending: a request holds the
 * key and is writing) or the answer to give again (complete). Past {@code expiresAt} the key is forgotten.
 *
 * @param holder     the request that holds a pending key (a random id), null once complete
 * @param leaseUntil until when a pending key's holder may write without being taken over, null once complete
 * @param answer     what a resend gets, null while pending
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IdempotencyRecord(String state, String requestSha256, List<String> syncIds, String holder,
                         Instant leaseUntil, Instant expiresAt, StoredAnswer answer) {

    static final String PENDING = "pending";
    static final String COMPLETE = "complete";

    /** The answer first given: its status and JSON body (its headers are the function's own). */
    record StoredAnswer(int status, JsonNode body) {
    }

    IdempotencyRecord {
        syncIds = List.copyOf(syncIds);
    }

    static IdempotencyRecord pending(String requestSha256, List<String> syncIds, String holder, Instant leaseUntil,
                                     Instant expiresAt) {
        return new IdempotencyRecord(PENDING, requestSha256, syncIds, holder, leaseUntil, expiresAt, null);
    }

    /** This key, complete with its answer. */
    IdempotencyRecord complete(StoredAnswer answer) {
        return new IdempotencyRecord(COMPLETE, requestSha256, syncIds, null, null, expiresAt, answer);
    }

    /** This pending key, held by another request from now on. */
    IdempotencyRecord takenOver(String newHolder, Instant newLeaseUntil) {
        return new IdempotencyRecord(PENDING, requestSha256, syncIds, newHolder, newLeaseUntil, expiresAt, null);
    }

    boolean isComplete() {
        return COMPLETE.equals(state) && answer != null;
    }

    boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    boolean isLeaseLive(Instant now) {
        return leaseUntil != null && leaseUntil.isAfter(now);
    }

    byte[] toBytes() {
        return Json.toBytes(this);
    }

    /** @throws IOException when the bytes are not a record of this shape (the key is then treated as unusable) */
    static IdempotencyRecord parse(byte[] bytes) throws IOException {
        IdempotencyRecord r = Json.mapper().readValue(bytes, IdempotencyRecord.class);
        if (r == null || r.requestSha256 == null || r.syncIds == null || r.expiresAt == null
                || !(PENDING.equals(r.state) || COMPLETE.equals(r.state))) {
            throw new IOException("not an idempotency record");
        }
        return r;
    }
}
