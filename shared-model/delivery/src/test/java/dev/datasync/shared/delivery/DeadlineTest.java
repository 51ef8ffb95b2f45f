package dev.datasync.shared.delivery;

import org.junit.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.Assert.assertEquals;

public class DeadlineTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T06:00:00Z"), ZoneOffset.UTC);

    @Test
    public void aTenthOfTheRemainingTimeBetweenOneAndFiveSecondsIsKeptForRouting() {
        assertEquals(Duration.ofSeconds(115), Deadline.forFunction(clock.instant().plusSeconds(120), clock).remaining());
        assertEquals(Duration.ofSeconds(3595), Deadline.forFunction(clock.instant().plusSeconds(3600), clock)
                .remaining());
        assertEquals(Duration.ofSeconds(4), Deadline.forFunction(clock.instant().plusSeconds(5), clock).remaining());
        assertEquals(Duration.ZERO, Deadline.forFunction(clock.instant().minusSeconds(5), clock).remaining());
        assertEquals(Duration.ofSeconds(27), Deadline.forFunction(null, clock).remaining());
    }
}
