package dev.datasync.local;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.Assert.fail;

/** Waiting for a condition in a test of a running stack, failing with what the state was when time ran out. */
public final class Waits {

    private Waits() {
    }

    /** @param what described when the wait times out (so it tells the state at that moment) */
    public static void await(BooleanSupplier condition, long millis, Supplier<String> what)
            throws InterruptedException {
        await(condition, millis, 10, what);
    }

    /** @param pollMillis between two checks (a check that reads streams should not run a hundred times a second) */
    public static void await(BooleanSupplier condition, long millis, long pollMillis, Supplier<String> what)
            throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                fail("timed out waiting for " + what.get());
            }
            Thread.sleep(pollMillis);
        }
    }
}
