package dev.datasync.shared.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of stream offsets kept as sorted, disjoint, non-adjacent closed ranges, so that a run of settled
 * messages costs one range however long it is. Its text form is {@code "3-9,12,15-20"}.
 */
public final class OffsetRanges {

    public static final OffsetRanges EMPTY = new OffsetRanges(new long[0]);

    /** from0, to0, from1, to1, …: from ≤ to, and each range starts at least 2 after the previous one ends. */
    private final long[] bounds;

    private OffsetRanges(long[] bounds) {
        this.bounds = bounds;
    }

    public boolean contains(long offset) {
        int lo = 0;
        int hi = rangeCount() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (offset < bounds[2 * mid]) {
                hi = mid - 1;
            } else if (offset > bounds[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    public int rangeCount() {
        return bounds.length / 2;
    }

    public boolean isEmpty() {
        return bounds.length == 0;
    }

    /** This set plus {@code offsets}. */
    public OffsetRanges with(Collection<Long> offsets) {
        if (offsets.isEmpty()) {
            return this;
        }
        long[] sorted = offsets.stream().mapToLong(Long::longValue).sorted().toArray();
        List<long[]> ranges = new ArrayList<>();
        for (long o : sorted) {
            append(ranges, o, o);
        }
        return union(of(ranges));
    }

    /** Every offset of this set or of {@code other}. */
    public OffsetRanges union(OffsetRanges other) {
        if (other.isEmpty()) {
            return this;
        }
        List<long[]> ranges = new ArrayList<>(rangeCount() + other.rangeCount());
        int i = 0;
        int j = 0;
        while (i < rangeCount() || j < other.rangeCount()) {
            // take whichever range starts first, so the list grows in start order
            boolean mine = j == other.rangeCount() || (i < rangeCount() && bounds[2 * i] <= other.bounds[2 * j]);
            OffsetRanges from = mine ? this : other;
            int k = mine ? i++ : j++;
            append(ranges, from.bounds[2 * k], from.bounds[2 * k + 1]);
        }
        return of(ranges);
    }

    /** This set without the offsets below {@code offset} (those the stream no longer retains). */
    public OffsetRanges from(long offset) {
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < rangeCount(); i++) {
            if (bounds[2 * i + 1] >= offset) {
                ranges.add(new long[]{Math.max(offset, bounds[2 * i]), bounds[2 * i + 1]});
            }
        }
        return of(ranges);
    }

    /** At most the {@code max} highest ranges (the lowest, oldest, are dropped first). */
    public OffsetRanges lastRanges(int max) {
        if (rangeCount() <= max) {
            return this;
        }
        return new OffsetRanges(Arrays.copyOfRange(bounds, bounds.length - 2 * max, bounds.length));
    }

    /** {@code "3-9,12"}; empty for none. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rangeCount(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(bounds[2 * i]);
            if (bounds[2 * i + 1] != bounds[2 * i]) {
                b.append('-').append(bounds[2 * i + 1]);
            }
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException when {@code text} is not what {@link #text()} writes */
    public static OffsetRanges parse(String text) {
        if (text.isEmpty()) {
            return EMPTY;
        }
        List<long[]> ranges = new ArrayList<>();
        long previousEnd = Long.MIN_VALUE;
        for (String part : text.split(",", -1)) {
            int dash = part.indexOf('-', 1);
            long from = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
            long to = dash < 0 ? from : Long.parseLong(part.substring(dash + 1));
            if (from < 0 || to < from || (!ranges.isEmpty() && from <= previousEnd + 1)) {
                throw new IllegalArgumentException("offset ranges out of order at '" + part + "'");
            }
            ranges.add(new long[]{from, to});
            previousEnd = to;
        }
        return of(ranges);
    }

    /** Adds [from, to] after the ranges so far (none starting later), joining it to the last if they touch. */
    private static void append(List<long[]> ranges, long from, long to) {
        long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
        if (last != null && from <= last[1] + 1) {
            last[1] = Math.max(last[1], to);
        } else {
            ranges.add(new long[]{from, to});
        }
    }

    private static OffsetRanges of(List<long[]> ranges) {
        long[] b = new long[2 * ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            b[2 * i] = ranges.get(i)[0];
            b[2 * i + 1] = ranges.get(i)[1];
        }
        return new OffsetRanges(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetRanges r && Arrays.equals(bounds, r.bounds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return "OffsetRanges[" + text() + "]";
    }
}
