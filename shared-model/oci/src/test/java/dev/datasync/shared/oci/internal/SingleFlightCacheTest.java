package dev.datasync.shared.oci.internal;

import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.testing.AtOnce;
import org.junit.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.fail;

public class SingleFlightCacheTest {

    final AdjustableClock clock = new AdjustableClock();
    final AtomicInteger loads = new AtomicInteger();

    /** Runs {@code n} gets of one key at once; each result is the value or the exception. */
    static List<Object> getAtOnce(SingleFlightCache<String, String> cache, int n, Supplier<String> load)
            throws Exception {
        return AtOnce.run(n, i -> cache.get("k", load));
    }

    /** A load that counts itself and takes long enough for every caller to arrive while it runs. */
    Supplier<String> slowLoad(Supplier<String> answer) {
        return () -> {
            loads.incrementAndGet();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer.get();
        };
    }

    @Test
    public void concurrentCallersShareOneLoad() throws Exception {
        SingleFlightCache<String, String> cache = new SingleFlightCache<>(Duration.ofMinutes(5), clock);
        List<Object> results = getAtOnce(cache, 16, slowLoad(() -> "v"));
        for (Object r : results) {
            assertEquals("v", r);
        }
        assertEquals(1, loads.get());
    }

    @Test
    public void concurrentCallersShareTheFailureWhichIsNotKept() throws Exception {
        SingleFlightCache<String, String> cache = new SingleFlightCache<>(Duration.ofMinutes(5), clock);
        IllegalStateException boom = new IllegalStateException("boom");
        List<Object> results = getAtOnce(cache, 8, slowLoad(() -> {
            throw boom;
        }));
        for (Object r : results) {
            assertSame(boom, r);
        }
        assertEquals(1, loads.get());
        assertEquals("the next caller loads again", "v", cache.get("k", () -> "v"));
    }

    @Test
    public void valuesAreKeptUntilTheyExpire() {
        SingleFlightCache<String, String> cache = new SingleFlightCache<>(Duration.ofMinutes(5), clock);
        assertEquals("v1", cache.get("k", () -> "v1"));
        clock.advance(Duration.ofMinutes(4));
        assertEquals("v1", cache.get("k", () -> "v2"));
        clock.advance(Duration.ofMinutes(1));
        assertEquals("v2", cache.get("k", () -> "v2"));
        cache.invalidate("k");
        assertEquals("v3", cache.get("k", () -> "v3"));
        cache.put("k", "v4");
        assertEquals("v4", cache.get("k", () -> "v5"));
        assertEquals("keys are apart", "w", cache.get("other", () -> "w"));
    }

    @Test
    public void withoutTimeToLiveNothingIsKept() {
        SingleFlightCache<String, String> cache = new SingleFlightCache<>(Duration.ZERO, clock);
        assertEquals("v1", cache.get("k", () -> "v1"));
        cache.put("k", "v2");
        assertEquals("v3", cache.get("k", () -> "v3"));
    }

    @Test
    public void onlyTheLoadingCallerSeesTheLoadedValueAsItIs() throws Exception {
        SingleFlightCache<String, String> cache = new SingleFlightCache<>(Duration.ofMinutes(5), clock,
                v -> v.replace("+mine", ""));
        List<Object> results = getAtOnce(cache, 8, slowLoad(() -> "v+mine"));
        assertEquals(1, results.stream().filter("v+mine"::equals).count());
        assertEquals(7, results.stream().filter("v"::equals).count());
        assertEquals("v", cache.get("k", () -> {
            fail("kept");
            return null;
        }));
        assertEquals(1, loads.get());
    }
}
