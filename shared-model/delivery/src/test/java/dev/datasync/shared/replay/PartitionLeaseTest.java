package dev.datasync.shared.replay;

import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.state.InMemoryStateObjects;
import dev.datasync.shared.state.OutageStateObjects;
import dev.datasync.shared.state.StateUnavailableException;
import dev.datasync.shared.testing.AtOnce;
import org.junit.After;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class PartitionLeaseTest {

    private static final String STREAM = "ocid1.stream.oc1.iad.unavailable";
    private static final Duration TTL = Duration.ofSeconds(30);

    private final InMemoryStateObjects state = new InMemoryStateObjects();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<PartitionLease> containers = new CopyOnWriteArrayList<>();

    /** The lease machinery of one container whose clock reads {@code ahead} later than now. */
    private PartitionLease container(Duration ahead) {
        Clock clock = Clock.offset(Clock.systemUTC(), ahead);
        PartitionLease leases = new PartitionLease(state, clock, JsonLog.to(logLines::add, clock));
        containers.add(leases);
        return leases;
    }

    @After
    public void tearDown() {
        containers.forEach(PartitionLease::close);
    }

    private LeaseRecord stored(String partition) {
        return LeaseRecord.parse(state.read(PartitionLease.objectName(STREAM, partition)).orElseThrow().body());
    }

    @Test
    public void oneHolderPerPartitionUntilItReleases() {
        PartitionLease leases = container(Duration.ZERO);
        HeldLease first = leases.acquire(STREAM, "0", "replay-a", TTL);
        assertTrue(first.held());
        assertEquals("replay-a", stored("0").holder());

        PartitionBusyException busy = assertThrows(PartitionBusyException.class,
                () -> container(Duration.ZERO).acquire(STREAM, "0", "replay-b", TTL));
        assertEquals("replay-a", busy.holder());
        long retryAfter = busy.retryAfterSeconds();
        assertTrue(Long.toString(retryAfter), retryAfter >= 30 && retryAfter <= 32);
        // another partition of the same stream is another lease
        leases.acquire(STREAM, "1", "replay-c", TTL).close();

        first.close();
        assertFalse(first.held());
        assertTrue("released: the object is gone", state.read(PartitionLease.objectName(STREAM, "0")).isEmpty());
        HeldLease next = container(Duration.ZERO).acquire(STREAM, "0", "replay-b", TTL);
        assertTrue(next.held());
        next.close();
    }

    @Test
    public void theSameHolderNameIsNoReEntry() {
        HeldLease first = container(Duration.ZERO).acquire(STREAM, "0", "redrive", TTL);
        assertThrows(PartitionBusyException.class, () -> container(Duration.ZERO).acquire(STREAM, "0", "redrive", TTL));
        first.close();
    }

    @Test
    public void aCrashedHoldersLeaseIsTakenOverOnceItExpired() {
        // the holder crashes: its container stops (no renewal) without releasing
        PartitionLease crashed = container(Duration.ZERO);
        crashed.acquire(STREAM, "0", "replay-crashed", TTL);
        crashed.close();

        assertThrows("not yet expired", PartitionBusyException.class,
                () -> container(TTL.minusSeconds(1)).acquire(STREAM, "0", "replay-next", TTL));
        assertThrows("within the clock leeway", PartitionBusyException.class,
                () -> container(TTL.plusSeconds(1)).acquire(STREAM, "0", "replay-next", TTL));
        HeldLease next = container(TTL.plus(PartitionLease.CLOCK_LEEWAY).plusSeconds(1))
                .acquire(STREAM, "0", "replay-next", TTL);
        assertTrue(next.held());
        assertEquals("replay-next", stored("0").holder());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("replay.lease_taken_over")
                && l.contains("replay-crashed")));
        next.close();
    }

    @Test
    public void anUnreadableLeaseCountsAsExpired() {
        state.create(PartitionLease.objectName(STREAM, "0"), "{not json".getBytes(StandardCharsets.UTF_8));
        HeldLease lease = container(Duration.ZERO).acquire(STREAM, "0", "replay-a", TTL);
        assertEquals("replay-a", stored("0").holder());
        lease.close();
    }

    @Test
    public void aLongHolderKeepsItsLeaseByRenewingIt() throws Exception {
        Duration shortTtl = Duration.ofSeconds(2);
        PartitionLease leases = container(Duration.ZERO);
        HeldLease lease = leases.acquire(STREAM, "0", "redrive-a", shortTtl);
        Instant firstExpiry = stored("0").expiresAt();
        // two and a half ttls later, a container whose clock agrees still finds it held
        Thread.sleep(5 * shortTtl.toMillis() / 2);
        assertTrue(lease.held());
        assertTrue(stored("0").expiresAt().isAfter(firstExpiry));
        assertThrows(PartitionBusyException.class,
                () -> container(Duration.ZERO).acquire(STREAM, "0", "replay-b", shortTtl));
        lease.close();
    }

    @Test
    public void aLeaseTakenOverIsLostAndNeitherRenewedNorReleased() {
        HeldLease stale = container(Duration.ZERO).acquire(STREAM, "0", "replay-a", TTL);
        HeldLease later = container(TTL.multipliedBy(2)).acquire(STREAM, "0", "replay-b", TTL);

        assertThrows(LeaseLostException.class, stale::renew);
        assertFalse(stale.held());
        stale.close();
        assertEquals("the new holder's lease is untouched", "replay-b", stored("0").holder());
        later.close();
    }

    @Test
    public void aRenewalThatCannotReachTheStoreLetsTheLeaseRunOut() throws Exception {
        OutageStateObjects flaky = new OutageStateObjects(state);
        Clock clock = Clock.systemUTC();
        try (PartitionLease leases = new PartitionLease(flaky, clock, JsonLog.to(logLines::add, clock))) {
            HeldLease lease = leases.acquire(STREAM, "0", "replay-a", Duration.ofMillis(300));
            flaky.takeDown();
            assertThrows(StateUnavailableException.class, lease::renew);
            Thread.sleep(400);
            assertFalse("no renewal for a ttl: not held", lease.held());
            assertTrue(logLines.stream().anyMatch(l -> l.contains("replay.lease_not_renewed")));
            lease.close(); // cannot release: logged, not thrown
            assertTrue(logLines.stream().anyMatch(l -> l.contains("replay.lease_not_released")));
        }
    }

    @Test
    public void aRenewalWhoseAnswerWasLostIsNoLossOfTheLease() {
        OutageStateObjects flaky = new OutageStateObjects(state);
        Clock clock = Clock.systemUTC();
        try (PartitionLease leases = new PartitionLease(flaky, clock, JsonLog.to(logLines::add, clock))) {
            HeldLease lease = leases.acquire(STREAM, "0", "replay-a", TTL);
            flaky.loseWriteAnswers();
            assertThrows(StateUnavailableException.class, lease::renew);
            flaky.restore();
            lease.renew(); // over the version its lost write stored
            assertTrue(lease.held());
            lease.close();
            assertTrue("released", state.read(PartitionLease.objectName(STREAM, "0")).isEmpty());
        }
    }

    @Test
    public void nothingIsHeldWhenTheStoreIsDown() {
        OutageStateObjects down = new OutageStateObjects(state);
        down.takeDown();
        Clock clock = Clock.systemUTC();
        try (PartitionLease leases = new PartitionLease(down, clock, JsonLog.to(logLines::add, clock))) {
            assertThrows(StateUnavailableException.class, () -> leases.acquire(STREAM, "0", "replay-a", TTL));
        }
        assertTrue(state.read(PartitionLease.objectName(STREAM, "0")).isEmpty());
    }

    @Test
    public void ofFiveAtOnceExactlyOneHolds() throws Exception {
        List<Object> results = AtOnce.run(5, i -> container(Duration.ZERO).acquire(STREAM, "0", "replay-" + i, TTL));
        List<HeldLease> held = results.stream().filter(HeldLease.class::isInstance).map(HeldLease.class::cast)
                .toList();
        assertEquals(results.toString(), 1, held.size());
        assertEquals(4, results.stream().filter(PartitionBusyException.class::isInstance).count());
        assertEquals(held.get(0).holder(), stored("0").holder());
        held.get(0).close();
    }

    @Test
    public void theLeaseObjectCarriesItsExpiry() throws Exception {
        HeldLease lease = container(Duration.ZERO).acquire(STREAM, "0", "replay-a", TTL);
        var body = Json.parse(state.read(PartitionLease.objectName(STREAM, "0")).orElseThrow().body());
        assertEquals("replay-a", body.get("holder").asText());
        Duration left = Duration.between(Instant.now(), Instant.parse(body.get("expiresAt").asText()));
        assertTrue(left.toString(), left.compareTo(TTL) <= 0 && left.compareTo(TTL.minusSeconds(5)) > 0);
        lease.close();
        assertNull(LeaseRecord.parse("[]".getBytes(StandardCharsets.UTF_8)));
    }
}
