package dev.datasync.local.connector;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A connector's stop: raised once, seen by every partition worker, and it cuts their waits short. */
final class StopSignal {

    private final CountDownLatch stop = new CountDownLatch(1);

    void raise() {
        stop.countDown();
    }

    boolean running() {
        return stop.getCount() > 0;
    }

    /** Sleeps unless stopping; true if still running afterwards. */
    boolean pause(long millis) {
        try {
            return !stop.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
