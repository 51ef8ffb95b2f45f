package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.IdempotencyHeaders;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The {@code Idempotency-Key} of {@code POST /stream/sync}, kept in the state objects so that every container sees
 * one truth. A request first <em>reserves</em> its key: it creates a pending {@link IdempotencyRecord}
 * ({@code If-None-Match: *}) that already holds the syncIds its items will get, with a {@link #LEASE}; then it
 * writes to the stream; then it <em>completes</em> the record with its answer ({@code If-Match}). So:
 * <ul>
 * <li>a resend with the same body gets the stored answer and writes nothing; with another body, 409
 *     {@code IdempotencyKeyReuse};</li>
 * <li>a resend while the first is still writing gets 409 {@code IdempotencyKeyInProgress} with Retry-After at once
 *     (waiting would hold a function for the length of a write it cannot speed up);</li>
 * <li>a request that finds a pending key whose lease ran out (its holder crashed or timed out) takes it over and
 *     writes with the stored syncIds: at worst the stream holds a message twice under one syncId, never a message
 *     under a second syncId, and never no message;</li>
 * <li>a request that wrote nothing gives its key up (deletes the reservation), so a resend can write;</li>
 * <li>past {@code idempotency_window} a key is forgotten: its object counts as absent and is replaced.</li>
 * </ul>
 * The state store unreachable: 503 with Retry-After, nothing written. Thread-safe; one per container.
 */
final class IdempotentIngest {

    /**
     * How long a pending key is its holder's alone: longer than the function's time-out (30 s, func.yaml), so a
     * request still running is never taken over, and short enough that a crashed one holds its key up only briefly.
     */
    static final Duration LEASE = Duration.ofSeconds(60);
    /** Seconds a caller waits before asking again about a key being written now: writes take well under that. */
    static final String IN_PROGRESS_RETRY_AFTER_SECONDS = "1";
    /** Reads and conditional writes tried before a key that keeps changing under us counts as in progress. */
    private static final int ATTEMPTS = 4;
    private static final String PREFIX = "idempotency/";

    private final StateObjects state;
    private final Duration window;
    private final Clock clock;
    private final JsonLog log;

    IdempotentIngest(StateObjects state, Duration window, Clock clock, JsonLog log) {
        this.state = state;
        this.window = window;
        this.clock = clock;
        this.log = log;
    }

    /** The writing of one body, given the syncId of each item (by index). */
    interface Write {
        /** Checks, writes and answers the body; a failure of the checks is answered, not thrown. */
        GatewayAnswer answer();

        /** Whether anything of the body reached the stream (asked after {@link #answer}, also when it threw). */
        boolean written();
    }

    /** What {@link #start} decided: write under a reservation, or answer without writing. */
    private sealed interface Start permits Reservation, Answered {
    }

    /** The key is this request's: write with these syncIds (index i for item i), then {@link #finish}. */
    private record Reservation(String sourceId, String name, String etag, IdempotencyRecord record)
            implements Start {
    }

    /** The answer already decided: the stored one (replayed), a 409, or a 503. */
    private record Answered(GatewayAnswer answer) implements Start {
    }

    /** The state object of a source's key: the key itself is never stored, only its SHA-256. */
    static String objectName(String sourceId, String key) {
        return PREFIX + sourceId + "/" + sha256(key.getBytes(StandardCharsets.US_ASCII)) + ".json";
    }

    /**
     * The answer to a body sent with a key: reserve the key, write, complete the key; or the stored answer, a 409 or
     * a 503 without writing.
     *
     * @param items      the body's items: the reservation holds one new syncId per item
     * @param newSyncIds where new syncIds come from
     * @param write      the body's writing with the syncIds of the reservation
     */
    GatewayAnswer answer(String sourceId, String key, byte[] body, int items, Supplier<String> newSyncIds,
                         Function<IntFunction<String>, Write> write) {
        Start start = start(sourceId, key, body, items, newSyncIds);
        if (start instanceof Answered answered) {
            return answered.answer();
        }
        Reservation reserved = (Reservation) start;
        Write writing = write.apply(i -> reserved.record().syncIds().get(i));
        GatewayAnswer answer = null;
        try {
            answer = writing.answer();
            return answer;
        } finally {
            finish(reserved, answer, writing.written());
        }
    }

    /** Looks the key up and reserves it for this request, or answers. */
    private Start start(String sourceId, String key, byte[] body, int items, Supplier<String> newSyncIds) {
        String name = objectName(sourceId, key);
        String bodySha = sha256(body);
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Optional<Start> decided = tryStart(sourceId, name, bodySha, items, newSyncIds);
                if (decided.isPresent()) {
                    return decided.get();
                }
            }
            return inProgress(sourceId);
        } catch (StateUnavailableException e) {
            log.error("idempotency.unavailable").sourceId(sourceId).reason(e.getMessage()).write();
            return new Answered(SyncAnswers.single(ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE,
                    "the " + IdempotencyHeaders.KEY + " cannot be checked now, try again later; nothing was written",
                    IdempotencyHeaders.KEY)));
        }
    }

    /** One read and at most one conditional write; empty when another request changed the key in between. */
    private Optional<Start> tryStart(String sourceId, String name, String bodySha, int items,
                                     Supplier<String> newSyncIds) {
        Instant now = clock.instant();
        Optional<StateObject> found = state.read(name);
        if (found.isEmpty()) {
            IdempotencyRecord fresh = fresh(bodySha, items, newSyncIds, now);
            return write(() -> state.create(name, fresh.toBytes()), sourceId, name, fresh);
        }
        StateObject object = found.get();
        IdempotencyRecord record = readable(object, bodySha, items, sourceId);
        if (record == null || record.isExpired(now)) {
            IdempotencyRecord fresh = fresh(bodySha, items, newSyncIds, now);
            return write(() -> state.replace(name, fresh.toBytes(), object.etag()), sourceId, name, fresh);
        }
        if (!record.requestSha256().equals(bodySha)) {
            log.warn("sync.rejected").sourceId(sourceId).status(409).code(ErrorCodes.IDEMPOTENCY_KEY_REUSE)
                    .field(IdempotencyHeaders.KEY).write();
            return Optional.of(new Answered(SyncAnswers.single(ItemAnswer.rejected(409,
                    ErrorCodes.IDEMPOTENCY_KEY_REUSE, "this " + IdempotencyHeaders.KEY + " was used for another body"
                            + " within the idempotency window; use a new key for a new request; nothing was written",
                    IdempotencyHeaders.KEY))));
        }
        if (record.isComplete()) {
            log.info("idempotency.replayed").sourceId(sourceId).status(record.answer().status())
                    .count("items", record.syncIds().size()).write();
            return Optional.of(new Answered(replay(record.answer())));
        }
        if (record.isLeaseLive(now)) {
            return Optional.of(inProgress(sourceId));
        }
        IdempotencyRecord taken = record.takenOver(UUID.randomUUID().toString(), now.plus(LEASE));
        Optional<Start> start = write(() -> state.replace(name, taken.toBytes(), object.etag()), sourceId, name,
                taken);
        start.ifPresent(s -> log.warn("idempotency.taken_over").sourceId(sourceId)
                .reason("a pending key's lease ran out; writing again with its syncIds")
                .count("items", taken.syncIds().size()).write());
        return start;
    }

    private IdempotencyRecord fresh(String bodySha, int items, Supplier<String> newSyncIds, Instant now) {
        List<String> ids = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            ids.add(newSyncIds.get());
        }
        return IdempotencyRecord.pending(bodySha, ids, UUID.randomUUID().toString(), now.plus(LEASE),
                now.plus(window));
    }

    /**
     * The record of an object, or null when it is no usable record (not one at all, or one of this body with a
     * syncId count other than its items'): it is then replaced, as if the key were new.
     */
    private IdempotencyRecord readable(StateObject object, String bodySha, int items, String sourceId) {
        try {
            IdempotencyRecord r = IdempotencyRecord.parse(object.body());
            if (!r.requestSha256().equals(bodySha) || r.syncIds().size() == items) {
                return r;
            }
        } catch (IOException e) {
            // logged below
        }
        log.error("idempotency.corrupt").sourceId(sourceId).reason("the key's state object is not a usable"
                + " idempotency record; it is replaced").write();
        return null;
    }

    private Optional<Start> write(Supplier<String> conditionalWrite, String sourceId, String name,
                                  IdempotencyRecord record) {
        try {
            return Optional.of(new Reservation(sourceId, name, conditionalWrite.get(), record));
        } catch (StateConflictException e) {
            return Optional.empty();
        }
    }

    /**
     * Ends a reservation: completes the key with {@code answer} when something was written, else gives the key up so
     * that a resend can write. A failure here costs no message: the key stays pending until its lease runs out, and
     * a resend then takes it over with the same syncIds.
     *
     * @param answer  what this request answers (null when it ended without one)
     * @param written whether any item reached the stream
     */
    private void finish(Reservation r, GatewayAnswer answer, boolean written) {
        try {
            if (written && answer != null) {
                IdempotencyRecord done = r.record().complete(new IdempotencyRecord.StoredAnswer(answer.status(),
                        Json.parse(answer.body())));
                state.replace(r.name(), done.toBytes(), r.etag());
            } else if (!written) {
                state.delete(r.name(), r.etag());
            }
        } catch (StateConflictException | StateUnavailableException | IOException e) {
            // the lease runs out and a resend takes over with the same syncIds: at most a duplicate, same syncId
            log.warn("idempotency.not_settled").sourceId(r.sourceId()).reason(e.getClass().getSimpleName()
                    + (written ? ": the key stays pending until its lease ends" : ": the reservation stays until its"
                    + " lease ends")).write();
        }
    }

    private Answered inProgress(String sourceId) {
        log.warn("sync.rejected").sourceId(sourceId).status(409).code(ErrorCodes.IDEMPOTENCY_KEY_IN_PROGRESS)
                .field(IdempotencyHeaders.KEY).write();
        return new Answered(SyncAnswers.single(ItemAnswer.rejected(409, ErrorCodes.IDEMPOTENCY_KEY_IN_PROGRESS,
                        "a request with this " + IdempotencyHeaders.KEY + " is being written now; send it again"
                                + " after Retry-After to get its answer", IdempotencyHeaders.KEY))
                .withHeader("Retry-After", IN_PROGRESS_RETRY_AFTER_SECONDS));
    }

    private static GatewayAnswer replay(IdempotencyRecord.StoredAnswer stored) {
        JsonNode body = stored.body();
        return GatewayAnswer.json(stored.status(), body).withHeader(IdempotencyHeaders.REPLAYED, "true");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
