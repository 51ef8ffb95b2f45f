package dev.datasync.shared.replay;

import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class OffsetRangesTest {

    @Test
    public void runsOfOffsetsBecomeOneRangeWhateverTheOrderTheyCameIn() {
        OffsetRanges r = OffsetRanges.EMPTY.with(List.of(7L, 3L, 5L, 4L, 12L, 6L));
        assertEquals("3-7,12", r.text());
        assertEquals(2, r.rangeCount());
        assertEquals("3-8,10-12", r.with(List.of(8L, 10L, 11L)).text());
        assertEquals("3-12", r.with(List.of(8L, 9L, 10L, 11L)).text());
        assertEquals("offsets already in are no change", r, r.with(List.of(3L, 7L, 12L)));
    }

    @Test
    public void containsFindsEveryOffsetOfEveryRangeAndNothingBetween() {
        OffsetRanges r = OffsetRanges.parse("0,3-7,12,20-25");
        for (long o : new long[]{0, 3, 4, 7, 12, 20, 25}) {
            assertTrue(Long.toString(o), r.contains(o));
        }
        for (long o : new long[]{-1, 1, 2, 8, 11, 13, 19, 26, 5_000_000_000L}) {
            assertFalse(Long.toString(o), r.contains(o));
        }
        assertFalse(OffsetRanges.EMPTY.contains(0));
    }

    @Test
    public void unionMergesOverlappingAndTouchingRanges() {
        OffsetRanges a = OffsetRanges.parse("1-4,10-12,30");
        OffsetRanges b = OffsetRanges.parse("5-6,11-20,40");
        assertEquals("1-6,10-20,30,40", a.union(b).text());
        assertEquals(a.union(b), b.union(a));
    }

    @Test
    public void fromDropsWhatLiesBelowAndCutsTheRangeAcrossIt() {
        OffsetRanges r = OffsetRanges.parse("1-4,10-12,30");
        assertEquals("11-12,30", r.from(11).text());
        assertEquals("", r.from(31).text());
        assertEquals(r, r.from(0));
    }

    @Test
    public void lastRangesKeepsTheHighest() {
        assertEquals("10-12,30", OffsetRanges.parse("1-4,10-12,30").lastRanges(2).text());
    }

    @Test
    public void textRoundTripsAndBadTextIsRefused() {
        for (String t : List.of("", "0", "3-7,12", "5000000000-5000000009")) {
            assertEquals(t, OffsetRanges.parse(t).text());
        }
        for (String bad : List.of("7-3", "3-7,5", "3,4", "x", "-1", "1,,2")) {
            assertThrows(bad, IllegalArgumentException.class, () -> OffsetRanges.parse(bad));
        }
    }
}
