package dev.datasync.shared.delivery;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * One batch on the container's workers. Each worker repeatedly takes the next step:
 * <ol>
 *   <li>a call a target admits, taking the targets in turn ({@link TargetControl#tryAdmit}: breaker, concurrency
 *   limit, rate cap), while no target holds more than a fair share of the workers when another target has calls
 *   waiting; a message whose target's breaker is open is settled as {@code circuitOpen} instead;</li>
 *   <li>else the start of a lane's next message (prepare, guard, token), the lane just settled first, so one
 *   worker follows a key through its messages;</li>
 *   <li>else it waits until a call ends, a backoff or a pause is over, or the rate cap has a permit.</li>
 * </ol>
 * When the deadline leaves less than {@link MessageDelivery#MIN_ATTEMPT_TIME}, the messages still waiting are
 * settled ({@link MessageDelivery#timeRanOut}). All scheduling state is guarded by one lock; calls run outside it.
 * The worker that causes a change asks for its next step right after it, so it takes the step the change made
 * possible; one waiting worker is woken for a step beyond that.
 */
final class BatchRun {

    /**
     * How often a worker looks again at a target that is busy with another batch's calls (the other batch's
     * workers do not wake this batch's).
     */
    private static final long FOREIGN_BUSY_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final class Lane {
        final int[] indices;
        int next;
        DeliveryOutcome blocker;
        String blockerSyncId;

        Lane(int[] indices) {
            this.indices = indices;
        }
    }

    /** A message waiting for a call to its target. */
    private record Waiting(PendingCall call, DeliveryJob job, Lane lane, int index, long seq) {
    }

    private static final Comparator<Waiting> DUE_FIRST =
            Comparator.comparing((Waiting w) -> w.call().notBefore()).thenComparingLong(Waiting::seq);

    private static final class TargetQueue {
        final TargetControl control;
        final PriorityQueue<Waiting> waiting = new PriorityQueue<>(DUE_FIRST);
        int inFlight;

        TargetQueue(TargetControl control) {
            this.control = control;
        }
    }

    private final MessageDelivery delivery;
    private final TargetControls targets;
    private final int concurrency;
    private final IntFunction<DeliveryJob> prepare;
    private final BatchDelivery.LaneBlocking blocking;
    private final Deadline deadline;
    private final Clock clock;
    private final DeliveryOutcome[] outcomes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<Lane> toStart = new ArrayDeque<>();
    private final Map<TargetAuthority, TargetQueue> queues = new HashMap<>();
    private final List<TargetQueue> rotation = new ArrayList<>();
    private int cursor;
    private int openLanes;
    private long sequence;
    // set by admitNext for the wait that follows when nothing could be admitted
    private Instant wakeAt;
    private boolean foreignBusy;

    BatchRun(MessageDelivery delivery, TargetControls targets, int concurrency, int size, List<int[]> lanes,
             IntFunction<DeliveryJob> prepare, BatchDelivery.LaneBlocking blocking, Deadline deadline, Clock clock) {
        this.delivery = delivery;
        this.targets = targets;
        this.concurrency = concurrency;
        this.prepare = prepare;
        this.blocking = blocking;
        this.deadline = deadline;
        this.clock = clock;
        this.outcomes = new DeliveryOutcome[size];
        List<int[]> ordered = new ArrayList<>(lanes);
        // longest lanes first: they bound the batch's duration, so start them before the short ones
        ordered.sort(Comparator.comparingInt((int[] lane) -> lane.length).reversed());
        ordered.forEach(l -> toStart.addLast(new Lane(l)));
        this.openLanes = ordered.size();
    }

    List<DeliveryOutcome> outcomes() {
        return Arrays.asList(outcomes);
    }

    /** A worker's loop: steps until every lane is settled. */
    void work() {
        for (Runnable step = next(); step != null; step = next()) {
            step.run();
        }
    }

    private Runnable next() {
        lock.lock();
        try {
            while (openLanes > 0) {
                Instant now = clock.instant();
                boolean timeUp = deadline.remaining().compareTo(MessageDelivery.MIN_ATTEMPT_TIME) < 0;
                wakeAt = null;
                foreignBusy = false;
                Runnable step = timeUp ? expireNext() : admitNext(now);
                if (step != null) {
                    return step;
                }
                Lane lane = toStart.pollFirst();
                if (lane != null) {
                    return () -> start(lane);
                }
                awaitChange(now, timeUp);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(Instant now, boolean timeUp) {
        // without a known moment, wake at the deadline's edge (to settle what still waits) or when signalled
        Instant until = timeUp ? now.plusMillis(100) : deadline.at().minus(MessageDelivery.MIN_ATTEMPT_TIME);
        if (wakeAt != null && wakeAt.isBefore(until)) {
            until = wakeAt;
        }
        long nanos = Math.max(Duration.between(now, until).toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
        if (foreignBusy) {
            nanos = Math.min(nanos, FOREIGN_BUSY_POLL_NANOS);
        }
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            // the container is closing: stop waiting; the steps in flight settle their messages
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering a batch", e);
        }
    }

    private Runnable expireNext() {
        for (TargetQueue q : rotation) {
            Waiting w = q.waiting.poll();
            if (w != null) {
                return () -> settle(w, delivery.timeRanOut(w.call()));
            }
        }
        return null;
    }

    /** The next call a target admits (or a message its target settles), the targets taken in turn. */
    private Runnable admitNext(Instant now) {
        int n = rotation.size();
        for (int k = 0; k < n; k++) {
            int idx = (cursor + k) % n;
            TargetQueue q = rotation.get(idx);
            Waiting head = q.waiting.peek();
            if (head == null) {
                continue;
            }
            if (head.call().notBefore().isAfter(now)) {
                wakeNoLaterThan(head.call().notBefore());
                continue;
            }
            TargetControl.Pause pause = q.control.pause();
            if (pause != null) {
                if (pause.until().plus(MessageDelivery.MIN_ATTEMPT_TIME).isAfter(deadline.at())) {
                    q.waiting.poll();
                    return () -> settle(head, delivery.pausedPastDeadline(head.call(), pause));
                }
                wakeNoLaterThan(pause.until());
                continue;
            }
            // lanes not started yet may hold calls to other targets: until they are, the share counts them as one
            if (q.inFlight >= fairShare() && (!toStart.isEmpty() || anotherTargetCouldCall(q, now))) {
                continue;
            }
            TargetControl.Admission a = q.control.tryAdmit();
            if (a instanceof TargetControl.Admitted admitted) {
                q.waiting.poll();
                q.inFlight++;
                cursor = (idx + 1) % n;
                return () -> call(q, head, admitted.permit());
            }
            if (a instanceof TargetControl.CircuitOpen open) {
                q.waiting.poll();
                return () -> settle(head, delivery.circuitOpen(head.call(), open.reason()));
            }
            if (a instanceof TargetControl.RateLimited limited) {
                wakeNoLaterThan(now.plus(limited.waitFor()));
            } else if (q.inFlight == 0) {
                foreignBusy = true; // busy with calls of another batch, whose end does not signal this one
            }
        }
        return null;
    }

    /**
     * The workers divided among the targets of this batch that have calls waiting or in flight, plus one for the
     * lanes not started yet.
     */
    private int fairShare() {
        int active = toStart.isEmpty() ? 0 : 1;
        for (TargetQueue q : rotation) {
            if (q.inFlight > 0 || !q.waiting.isEmpty()) {
                active++;
            }
        }
        return (concurrency + Math.max(active, 1) - 1) / Math.max(active, 1);
    }

    /** Whether another target has a call due that it could take now (not paused, below its limit). */
    private boolean anotherTargetCouldCall(TargetQueue self, Instant now) {
        for (TargetQueue q : rotation) {
            if (q == self) {
                continue;
            }
            Waiting head = q.waiting.peek();
            if (head != null && !head.call().notBefore().isAfter(now) && q.control.pause() == null
                    && q.control.inFlight() < q.control.limit()) {
                return true;
            }
        }
        return false;
    }

    private void wakeNoLaterThan(Instant t) {
        if (wakeAt == null || t.isBefore(wakeAt)) {
            wakeAt = t;
        }
    }

    /** A lane's next message: held back, invalid, filtered, refused, or on to its target's queue. */
    private void start(Lane lane) {
        int i = lane.indices[lane.next];
        DeliveryJob job = prepare.apply(i);
        if (lane.blocker != null) {
            settle(lane, i, job, DeliveryOutcome.heldBackBehind(lane.blocker, lane.blockerSyncId, clock.instant()));
            return;
        }
        if (job.notAttempted() != null) {
            settle(lane, i, job, DeliveryOutcome.failed(0, job.notAttempted(), clock.instant()));
            return;
        }
        if (job.filtered()) {
            settle(lane, i, job, DeliveryOutcome.filtered(clock.instant()));
            return;
        }
        MessageDelivery.Start s;
        TargetQueue queue;
        try {
            s = delivery.start(job.request(), job.source());
            queue = queueFor(TargetAuthority.of(job.request().target()));
        } catch (RuntimeException e) {
            settle(lane, i, job, unexpected(e));
            return;
        }
        if (s instanceof MessageDelivery.Settled settled) {
            settle(lane, i, job, settled.outcome());
            return;
        }
        PendingCall call = ((MessageDelivery.Ready) s).call();
        lock.lock();
        try {
            // no signal: this worker asks for its next step right after and will take this call if it can be made
            queue.waiting.add(new Waiting(call, job, lane, i, sequence++));
        } finally {
            lock.unlock();
        }
    }

    private TargetQueue queueFor(TargetAuthority authority) {
        lock.lock();
        try {
            TargetQueue q = queues.get(authority);
            if (q == null) {
                q = new TargetQueue(targets.of(authority));
                queues.put(authority, q);
                rotation.add(q);
            }
            return q;
        } finally {
            lock.unlock();
        }
    }

    private void call(TargetQueue q, Waiting w, TargetControl.Permit permit) {
        DeliveryOutcome o;
        try {
            o = delivery.attempt(w.call(), permit, deadline);
        } catch (RuntimeException e) {
            permit.abandon();
            o = unexpected(e);
        }
        lock.lock();
        try {
            q.inFlight--;
            if (o == null) {
                q.waiting.add(w); // after its backoff (notBefore), in its original turn among the due calls
                changed.signal(); // a waiting worker may sleep past this backoff's end: let one look again
                return;
            }
        } finally {
            lock.unlock();
        }
        settle(w, o);
    }

    private void settle(Waiting w, DeliveryOutcome o) {
        settle(w.lane(), w.index(), w.job(), o);
    }

    private void settle(Lane lane, int index, DeliveryJob job, DeliveryOutcome o) {
        lock.lock();
        try {
            outcomes[index] = o;
            if (!o.done() && lane.blocker == null && job.orderingKey() != null && blocking.blocks(index, o)) {
                lane.blocker = o;
                lane.blockerSyncId = job.syncId();
            }
            lane.next++;
            if (lane.next < lane.indices.length) {
                toStart.addFirst(lane);
            } else {
                openLanes--;
            }
            // this worker takes one step next; a call that ended also freed a permit for one more. Waking one worker
            // per event, not all of them, keeps the idle workers from crowding the lock at every call's end.
            changed.signal();
            if (openLanes == 0) {
                changed.signalAll(); // the batch is done: every waiting worker returns
            }
        } finally {
            lock.unlock();
        }
    }

    /** An unexpected error must not lose the message: it is routed like a network failure, to be replayed. */
    private DeliveryOutcome unexpected(RuntimeException e) {
        return DeliveryOutcome.failed(0, Failure.of(FailureKind.NETWORK,
                "delivery error (" + e.getClass().getSimpleName() + ")"), clock.instant());
    }
}
