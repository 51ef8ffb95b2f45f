package dev.datasync.shared.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Races: the same call made on many threads, all released at the same moment. */
public final class AtOnce {

    /** One of the racing calls; {@code index} tells them apart (0 to n - 1). */
    @FunctionalInterface
    public interface Call {
        Object call(int index) throws Exception;
    }

    private AtOnce() {
    }

    /**
     * Runs {@code n} calls on {@code n} threads released together and waits for all of them (at most a minute).
     * @return in call order, each call's value, or the exception it threw
     */
    public static List<Object> run(int n, Call call) throws InterruptedException, TimeoutException {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return call.call(index);
                    } catch (Exception e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                try {
                    results.add(f.get(1, TimeUnit.MINUTES));
                } catch (ExecutionException e) {
                    throw new AssertionError("a racing call failed with an error", e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
