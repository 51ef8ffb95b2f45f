package dev.datasync.ingest;

import dev.datasync.shared.json.Json;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Each file version's {@link IngestState} and result parts in the state bucket, under
 * {@link IngestNames#stateFolder}: {@code state.json} (written only with {@code If-None-Match: *} or
 * {@code If-Match}) and {@code part-000001.jsonl}, … Whoever claims a version holds its lease until it gives it back
 * or the lease runs out (an invocation that died); meanwhile every other claim is {@link Claim.Busy}.
 */
final class IngestLedger {

    /** What a claim came to. */
    sealed interface Claim permits Claim.Mine, Claim.Busy, Claim.Done {
        /** The lease is this invocation's: {@code etag} is the state's version to write over. */
        record Mine(IngestState state, String etag) implements Claim {
        }

        /** Another invocation works on it now. */
        record Busy(IngestState state) implements Claim {
        }

        /** Finished before: nothing is done again. */
        record Done(IngestState state) implements Claim {
        }
    }

    /** Another invocation took the state over (this one's lease had run out): this one stops. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(String object) {
            super("the ingest of " + object + " was taken over by another invocation");
        }
    }

    private static final int CLAIM_ROUNDS = 5;

    private final StateObjects state;

    IngestLedger(StateObjects state) {
        this.state = state;
    }

    Claim claim(String folder, String owner, Instant leaseUntil, Instant now, Supplier<IngestState> fresh) {
        String name = folder + "state.json";
        for (int round = 0; round < CLAIM_ROUNDS; round++) {
            Optional<StateObject> current = state.read(name);
            try {
                if (current.isEmpty()) {
                    IngestState started = fresh.get();
                    return new Claim.Mine(started, state.create(name, Json.toBytes(started)));
                }
                IngestState s = parse(current.get());
                if (s.phase() == IngestState.Phase.DONE) {
                    return new Claim.Done(s);
                }
                if (!s.leasedBy(owner, now)) {
                    return new Claim.Busy(s);
                }
                IngestState mine = s.claimedBy(owner, leaseUntil);
                return new Claim.Mine(mine, state.replace(name, Json.toBytes(mine), current.get().etag()));
            } catch (StateConflictException raced) {
                // another invocation wrote it between the read and the write: read again, decide again
            }
        }
        throw new StateConflictException(name);
    }

    /** Writes {@code s} over version {@code etag}; @return the new version. @throws LeaseLost when it changed */
    String save(String folder, IngestState s, String etag) {
        try {
            return state.replace(folder + "state.json", Json.toBytes(s), etag);
        } catch (StateConflictException e) {
            throw new LeaseLost(s.object());
        }
    }

    /** Part {@code n} of the results (written again, whole, when a resumed invocation redoes its lines). */
    void writePart(String folder, int n, byte[] lines) {
        String name = partName(folder, n);
        try {
            state.create(name, lines);
        } catch (StateConflictException leftBehind) {
            StateObject old = state.read(name).orElseThrow(() -> new StateConflictException(name));
            state.replace(name, lines, old.etag());
        }
    }

    /** Parts 1..{@code parts}, in order, as one byte array. */
    byte[] parts(String folder, int parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int n = 1; n <= parts; n++) {
            String name = partName(folder, n);
            try {
                all.write(state.read(name).orElseThrow(() -> new IllegalStateException(name + " is missing"))
                        .body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toByteArray();
    }

    /** Deletes the parts once the result object holds them (best effort: they are not read again). */
    void deleteParts(String folder, int parts) {
        for (int n = 1; n <= parts; n++) {
            String name = partName(folder, n);
            state.read(name).ifPresent(part -> state.delete(name, part.etag()));
        }
    }

    private static String partName(String folder, int n) {
        return folder + String.format("part-%06d.jsonl", n);
    }

    private static IngestState parse(StateObject o) {
        try {
            return Json.mapper().readValue(o.body(), IngestState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("ingest state is unreadable", e);
        }
    }
}
