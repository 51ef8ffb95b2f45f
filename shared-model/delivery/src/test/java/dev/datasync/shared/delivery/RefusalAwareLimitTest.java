package dev.datasync.shared.delivery;

import org.junit.Test;

import java.time.Duration;

import static org.junit.Assert.assertEquals;

/** The adaptive limit's arithmetic, fed samples on a made-up clock (nanoseconds). */
public class RefusalAwareLimitTest {

    private static final long MS = 1_000_000L;
    private final RefusalAwareLimit limit = new RefusalAwareLimit(4, 32, Duration.ofSeconds(2));

    private void success(long startMs, long rttMs, int inflight) {
        limit.onSample(startMs * MS, rttMs * MS, inflight, false);
    }

    private void refused(long startMs, long rttMs, int inflight) {
        limit.onSample(startMs * MS, rttMs * MS, inflight, true);
    }

    @Test
    public void growsOnEverySuccessUntilTheFirstRefusal() {
        for (int i = 0; i < 6; i++) {
            success(i * 20, 20, limit.getLimit());
        }
        assertEquals(10, limit.getLimit());
        success(200, 20, 1); // far below its limit: no evidence it can take more
        assertEquals(10, limit.getLimit());
    }

    @Test
    public void theRefusalsOfOneOvershootBringTheLimitDownToWhatTheTargetTook() {
        for (int i = 0; i < 4; i++) {
            success(0, 20, 4);
        }
        assertEquals(8, limit.getLimit());
        // the target serves 4: the calls started 5th to 8th were refused at once, reported in any order; the one
        // started 5th shows the target would not take 5 (give or take the call that may have overtaken it)
        refused(21, 1, 7);
        refused(21, 1, 5);
        refused(21, 1, 8);
        refused(21, 1, 6);
        assertEquals(5, limit.getLimit());
        // a call started after that decrease is refused too: one more step, to the capacity
        refused(30, 1, 5);
        assertEquals(4, limit.getLimit());
    }

    @Test
    public void afterARefusalTheLimitProbesOneHigherAtMostOnceASecond() {
        for (int i = 0; i < 4; i++) {
            success(0, 20, 4); // the last increase ends at 20 ms
        }
        refused(21, 1, 5); // limit 8 → min(7, 5)
        assertEquals(5, limit.getLimit());
        for (long t = 30; t < 1000; t += 20) {
            success(t, 20, 5);
        }
        assertEquals("not within a second of the last increase", 5, limit.getLimit());
        success(1010, 20, 5); // ends at 1030 ms
        assertEquals(6, limit.getLimit());
        success(1100, 20, 6);
        success(1500, 20, 6);
        assertEquals(6, limit.getLimit());
        success(2040, 20, 6);
        assertEquals(7, limit.getLimit());
    }

    @Test
    public void timeOutsLowerTheLimitByATenthOncePerEpisode() {
        RefusalAwareLimit l = new RefusalAwareLimit(20, 32, Duration.ofSeconds(2));
        // 20 calls started together all time out: one step down, not twenty, and no refusal evidence
        for (int i = 1; i <= 20; i++) {
            l.onSample(0, 2000 * MS, i, true);
        }
        assertEquals(18, l.getLimit());
        // the next wave, started after that decrease, times out too: another step
        l.onSample(2100 * MS, 2000 * MS, 18, true);
        assertEquals(16, l.getLimit());
    }

    @Test
    public void itDoesNotGrowWhileLatencyRises() {
        success(0, 20, 4);
        assertEquals(5, limit.getLimit());
        success(20, 45, 5); // more than twice the fastest: the target queues calls
        assertEquals(5, limit.getLimit());
        success(70, 30, 5);
        assertEquals(6, limit.getLimit());
    }

    @Test
    public void neverBelowOneNorAboveTheContainersConcurrency() {
        RefusalAwareLimit l = new RefusalAwareLimit(2, 3, Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            l.onSample(i * 20 * MS, 20 * MS, 3, false);
        }
        assertEquals(3, l.getLimit());
        l.onSample(300 * MS, MS, 1, true);
        l.onSample(400 * MS, MS, 1, true);
        assertEquals(1, l.getLimit());
    }
}
