package dev.datasync.shared.retry.internal;

import dev.datasync.shared.replay.PartitionClaim;
import dev.datasync.shared.replay.Settlement;
import dev.datasync.shared.retry.ErrorStreamReader.StoredMessage;
import dev.datasync.shared.routing.BatchReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One page of a replay, split by the partition's marks into the messages an earlier replay or redrive already
 * settled (not sent again) and those to deliver now; then records what delivering them settled.
 */
public final class ReplayPage {

    private final List<StoredMessage> toDeliver = new ArrayList<>();
    private final List<Long> alreadyDelivered = new ArrayList<>();
    private final List<Long> alreadyMoved = new ArrayList<>();

    private ReplayPage() {
    }

    public static ReplayPage split(List<StoredMessage> page, PartitionClaim claim) {
        ReplayPage p = new ReplayPage();
        for (StoredMessage m : page) {
            Optional<Settlement> s = claim.settlementOf(m.offset());
            if (s.isEmpty()) {
                p.toDeliver.add(m);
            } else if (s.get() == Settlement.DELIVERED) {
                p.alreadyDelivered.add(m.offset());
            } else {
                p.alreadyMoved.add(m.offset());
            }
        }
        return p;
    }

    /** In offset order. */
    public List<StoredMessage> toDeliver() {
        return toDeliver;
    }

    /** Already delivered messages below {@code offset}. */
    public int alreadyDeliveredBelow(long offset) {
        return (int) alreadyDelivered.stream().filter(o -> o < offset).count();
    }

    /** Already moved messages below {@code offset}. */
    public int alreadyMovedBelow(long offset) {
        return (int) alreadyMoved.stream().filter(o -> o < offset).count();
    }

    /**
     * Records the offsets {@code report} settled ({@link #toDeliver()} in order): every delivered (or filtered) one,
     * also past the first message the deadline left untried, and every failure appended to a stream (another error
     * stream, or the dead-letter stream). Failures left in place and messages not tried are not recorded: they are still to be
     * replayed.
     */
    public void record(PartitionClaim claim, BatchReport report) {
        List<Long> delivered = new ArrayList<>();
        List<Long> moved = new ArrayList<>();
        for (int i = 0; i < toDeliver.size(); i++) {
            long offset = toDeliver.get(i).offset();
            if (report.outcomes().get(i).done()) { // delivered, or filtered out: nothing to send again
                delivered.add(offset);
            } else if (report.appendedTo().get(i) != null) {
                moved.add(offset);
            }
        }
        claim.record(delivered, moved);
    }
}
