package dev.datasync.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.datasync.shared.contract.ApiError;

import java.time.Instant;

/**
 * The progress of one version of one uploaded file, kept in the state bucket ({@code ingest/<key>/state.json}) and
 * written only with conditions, so two invocations for one version (a duplicate event, a continuation) never both
 * work on it: one holds the lease, the other leaves it.
 *
 * @param seed              makes each line's syncId ({@link #syncId}): the same line of the same version always gets
 *                          the same one, so a line written again after a lost answer is the same message to its target
 * @param nextLine          the first line (from 1) not settled yet: every line before it is written or rejected, its
 *                          result in the parts
 * @param nextByte          where {@code nextLine} starts in the file
 * @param parts             the result parts written so far ({@code ingest/<key>/part-000001.jsonl}, …), in line order
 * @param fileError         set when the file is refused as a whole (nothing of it is written)
 * @param leaseOwner        the invocation working on it, until {@code leaseUntil}
 * @param invocations       invocations that worked on it
 * @param failedInvocations invocations in a row that could not write their lines (Streaming refused them)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IngestState(String object, String etag, String sourceId, long size, String seed, Phase phase,
                   long nextLine, long nextByte, int parts, long accepted, long rejected, long blank,
                   ApiError fileError, String leaseOwner, Instant leaseUntil, Instant startedAt,
                   Instant finishedAt, int invocations, int failedInvocations) {

    enum Phase {
        /** lines are being read and written */
        READING,
        /** every line is settled: the result object, the move to processed/ and the end are left */
        FINISHING,
        /** finished: a further event for this version writes nothing */
        DONE;

        @JsonValue
        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static IngestState started(String object, String etag, String sourceId, long size, String seed, String owner,
                               Instant leaseUntil, Instant now) {
        return new IngestState(object, etag, sourceId, size, seed, Phase.READING, 1, 0, 0, 0, 0, 0, null, owner,
                leaseUntil, now, null, 1, 0);
    }

    boolean leasedBy(String owner, Instant now) {
        return owner.equals(leaseOwner) || leaseUntil == null || !leaseUntil.isAfter(now);
    }

    IngestState claimedBy(String owner, Instant until) {
        return new IngestState(object, etag, sourceId, size, seed, phase, nextLine, nextByte, parts, accepted,
                rejected, blank, fileError, owner, until, startedAt, finishedAt, invocations + 1, failedInvocations);
    }

    /** After a batch: lines up to {@code nextLine} settled, their results in part {@code parts}. */
    IngestState advanced(long nextLine, long nextByte, int parts, long accepted, long rejected, long blank) {
        return new IngestState(object, etag, sourceId, size, seed, phase, nextLine, nextByte, parts, accepted,
                rejected, blank, fileError, leaseOwner, leaseUntil, startedAt, finishedAt, invocations, 0);
    }

    IngestState refused(ApiError error) {
        return new IngestState(object, etag, sourceId, size, seed, Phase.FINISHING, nextLine, nextByte, parts, 0, 0,
                0, error, leaseOwner, leaseUntil, startedAt, finishedAt, invocations, failedInvocations);
    }

    IngestState allRead() {
        return new IngestState(object, etag, sourceId, size, seed, Phase.FINISHING, nextLine, nextByte, parts,
                accepted, rejected, blank, fileError, leaseOwner, leaseUntil, startedAt, finishedAt, invocations,
                failedInvocations);
    }

    IngestState done(Instant at) {
        return new IngestState(object, etag, sourceId, size, seed, Phase.DONE, nextLine, nextByte, parts, accepted,
                rejected, blank, fileError, null, null, startedAt, at, invocations, failedInvocations);
    }

    /** The lease given back: whoever comes next may take it at once. */
    IngestState released(boolean writeFailed) {
        return new IngestState(object, etag, sourceId, size, seed, phase, nextLine, nextByte, parts, accepted,
                rejected, blank, fileError, null, null, startedAt, finishedAt, invocations,
                writeFailed ? failedInvocations + 1 : failedInvocations);
    }

    String syncId(long line) {
        return java.util.UUID.nameUUIDFromBytes((seed + ":" + line).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }
}
