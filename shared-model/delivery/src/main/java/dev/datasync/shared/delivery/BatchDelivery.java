package dev.datasync.shared.delivery;

import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Delivers a batch: messages with the same streamKey form a lane delivered strictly in batch order; lanes run in
 * parallel on at most {@code concurrency} threads. When a message of a lane is not delivered, the lane's later
 * messages are not attempted: they are held back behind it (same route), so nothing of that key is delivered
 * ahead of an earlier message. Messages without a key have no ordering constraint (a lane each).
 * <p>
 * One instance per container: its worker threads live as long as the container (daemon threads, so they never
 * keep a JVM alive).
 */
public final class BatchDelivery implements AutoCloseable {

    private final MessageDelivery delivery;
    private final ExecutorService workers;
    private final Clock clock;

    public BatchDelivery(MessageDelivery delivery, int concurrency, Clock clock) {
        this.delivery = delivery;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "delivery-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One outcome per job, in the jobs' order. Returns when every job has an outcome (bounded by the deadline). */
    public List<DeliveryOutcome> deliverAll(List<DeliveryJob> jobs, Deadline deadline) {
        return deliverAll(jobs.stream().map(DeliveryJob::orderingKey).toList(), jobs::get, deadline);
    }

    /**
     * One outcome per message, in batch order, where message {@code i} has ordering key {@code orderingKeys[i]}
     * and its job is built by {@code prepare.apply(i)} on the worker that delivers it, just before its turn.
     * Decoding and validating a batch this way overlaps with the calls already waiting on their targets, instead
     * of holding back the first call until the whole batch is prepared (measured: ~70 ms for 1,000 messages in a
     * fresh container). {@code prepare} is called exactly once per message, also for messages held back, and must
     * not throw; its job's ordering key must be {@code orderingKeys[i]}.
     */
    public List<DeliveryOutcome> deliverAll(List<String> orderingKeys, IntFunction<DeliveryJob> prepare, Deadline deadline) {
        DeliveryOutcome[] outcomes = new DeliveryOutcome[orderingKeys.size()];
        List<int[]> lanes = lanes(orderingKeys);
        // longest lanes first: they bound the batch's duration, so start them before the short ones
        lanes.sort(Comparator.comparingInt((int[] lane) -> lane.length).reversed());
        List<Future<?>> running = new ArrayList<>(lanes.size());
        for (int[] lane : lanes) {
            running.add(workers.submit(() -> runLane(prepare, lane, outcomes, deadline)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while delivering a batch", e);
            } catch (ExecutionException e) {
                // runLane catches per message; reaching here is a bug — fail the invocation rather than lose it
                throw new IllegalStateException("a delivery lane failed", e.getCause());
            }
        }
        return Arrays.asList(outcomes);
    }

    private void runLane(IntFunction<DeliveryJob> prepare, int[] lane, DeliveryOutcome[] outcomes, Deadline deadline) {
        DeliveryOutcome blocker = null;
        String blockerSyncId = null;
        for (int i : lane) {
            DeliveryJob job = prepare.apply(i);
            DeliveryOutcome o;
            if (blocker != null) {
                o = DeliveryOutcome.heldBackBehind(blocker, blockerSyncId, clock.instant());
            } else if (job.invalid() != null) {
                o = DeliveryOutcome.failed(0, job.invalid(), clock.instant());
            } else {
                o = deliverGuarded(job, deadline);
            }
            outcomes[i] = o;
            if (!o.delivered() && blocker == null && job.orderingKey() != null) {
                blocker = o;
                blockerSyncId = job.syncId();
            }
        }
    }

    private DeliveryOutcome deliverGuarded(DeliveryJob job, Deadline deadline) {
        try {
            return delivery.deliver(job.request(), job.source(), deadline);
        } catch (RuntimeException e) {
            // an unexpected error must not lose the message: it is routed like a network failure, to be replayed
            return DeliveryOutcome.failed(0, Failure.of(dev.datasync.shared.config.FailureKind.NETWORK,
                    "delivery error (" + e.getClass().getSimpleName() + ")"), clock.instant());
        }
    }

    /** Indices of messages grouped by ordering key, in batch order; each keyless message is its own lane. */
    static List<int[]> lanes(List<String> orderingKeys) {
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        List<int[]> lanes = new ArrayList<>();
        for (int i = 0; i < orderingKeys.size(); i++) {
            String key = orderingKeys.get(i);
            if (key == null) {
                lanes.add(new int[]{i});
            } else {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> l : byKey.values()) {
            lanes.add(l.stream().mapToInt(Integer::intValue).toArray());
        }
        return lanes;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
