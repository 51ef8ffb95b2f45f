package dev.datasync.shared.retry.internal;

import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.replay.PartitionClaim;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.replay.ReplayMarks;
import dev.datasync.shared.replay.Settlement;
import dev.datasync.shared.retry.ErrorStreamReader.StoredMessage;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.state.InMemoryStateObjects;
import org.junit.After;
import org.junit.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

import static org.junit.Assert.assertEquals;

public class ReplayPageTest {

    private static final String STREAM = "ocid1.stream.oc1.iad.unavailable";

    private final InMemoryStateObjects state = new InMemoryStateObjects();
    private final JsonLog log = JsonLog.to(l -> { }, Clock.systemUTC());
    private final PartitionLease leases = new PartitionLease(state, Clock.systemUTC(), log);
    private final PartitionClaims claims = new PartitionClaims(leases, new ReplayMarks(state, log));

    @After
    public void tearDown() {
        leases.close();
    }

    private static List<StoredMessage> page(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(o -> new StoredMessage(null, new byte[0], o)).toList();
    }

    private PartitionClaim claim() {
        return claims.take(STREAM, "0", PartitionLease.newHolder("replay"), Duration.ofSeconds(30));
    }

    @Test
    public void recordsDeliveredAndMovedButNeitherLeftInPlaceNorUntriedAndDeliveredPastTheCut() {
        Instant now = Instant.now();
        DeliveryOutcome ok = DeliveryOutcome.delivered(1, now);
        DeliveryOutcome failed = DeliveryOutcome.failed(1, Failure.status(500, "HTTP 500"), now);
        DeliveryOutcome untried = DeliveryOutcome.notStarted(now);
        // offsets 10..15: delivered, moved, left in place, not tried (the cut), delivered by another worker, not tried
        BatchReport report = new BatchReport(List.of(ok, failed, failed, untried, ok, untried), 1, 1, Set.of(2), 3,
                Arrays.asList(null, "ocid1.stream.oc1..routed", null, null, null, null));
        try (PartitionClaim claim = claim()) {
            ReplayPage.split(page(10, 15), claim).record(claim, report);
        }
        try (PartitionClaim claim = claim()) {
            assertEquals(Optional.of(Settlement.DELIVERED), claim.settlementOf(10));
            assertEquals(Optional.of(Settlement.MOVED), claim.settlementOf(11));
            assertEquals("left in place: replayed again", Optional.empty(), claim.settlementOf(12));
            assertEquals(Optional.empty(), claim.settlementOf(13));
            assertEquals("delivered past the cut: not sent again", Optional.of(Settlement.DELIVERED),
                    claim.settlementOf(14));
            assertEquals(Optional.empty(), claim.settlementOf(15));

            ReplayPage next = ReplayPage.split(page(10, 15), claim);
            assertEquals(List.of(12L, 13L, 15L), next.toDeliver().stream().map(StoredMessage::offset).toList());
            assertEquals("counted only below the first untried", 1, next.alreadyDeliveredBelow(13));
            assertEquals(2, next.alreadyDeliveredBelow(Long.MAX_VALUE));
            assertEquals(1, next.alreadyMovedBelow(13));
        }
    }
}
