package dev.datasync.shared.delivery;

import org.junit.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

public class FullJitterBackoffTest {

    @Test
    public void ceilingDoublesUpToTheCap() {
        FullJitterBackoff b = new FullJitterBackoff(Duration.ofMillis(200), Duration.ofMillis(1000));
        assertEquals(200, b.ceilingMillis(1));
        assertEquals(400, b.ceilingMillis(2));
        assertEquals(800, b.ceilingMillis(3));
        assertEquals(1000, b.ceilingMillis(4));
        assertEquals(1000, b.ceilingMillis(60));
    }

    @Test
    public void fullJitterStaysWithinZeroAndTheCeiling() {
        FullJitterBackoff b = new FullJitterBackoff(Duration.ofMillis(100), Duration.ofMillis(5000));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = b.delay(3, null).toMillis();
            min = Math.min(min, d);
            max = Math.max(max, d);
            assertTrue(d >= 0 && d <= 400);
        }
        assertTrue("jitter should spread waits: min " + min + " max " + max, max - min > 200);
    }

    @Test
    public void retryAfterReplacesTheComputedWaitEvenAboveTheCap() {
        FullJitterBackoff b = new FullJitterBackoff(Duration.ofMillis(100), Duration.ofMillis(500), bound -> bound);
        assertEquals(Duration.ofSeconds(7), b.delay(1, Duration.ofSeconds(7)));
        assertEquals(Duration.ofMillis(100), b.delay(1, null));
    }

    @Test
    public void retryAfterParsesSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-11-25T06:00:00Z");
        assertEquals(Duration.ofSeconds(3), RetryAfter.parse("3", now));
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Wed, 25 Nov 2026 06:00:30 GMT", now));
        assertEquals(Duration.ZERO, RetryAfter.parse("Wed, 25 Nov 2026 05:00:00 GMT", now));
        assertNull(RetryAfter.parse("soon", now));
        assertNull(RetryAfter.parse(null, now));
        assertNull(RetryAfter.parse("99999999999999999999999", now));
    }
}
