package dev.datasync.shared.delivery;

import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.signing.WebhookSigner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Outcome callbacks over HTTP, the way a delivery is made: the SSRF guard with the global and the source's
 * allow-list right before the call ({@link TargetCheck}, its addresses pinned by {@link TargetCaller}), signed
 * with the source's secrets when it signs ({@link DeliverySigning}; {@code webhook-id} = {@code <syncId>.callback},
 * also the Idempotency-Key), never unsigned when its secret cannot be read. Each callback gets at most
 * {@link #MAX_ATTEMPTS} calls of at most {@link #CALL_TIMEOUT} each, with a short pause between them, and only
 * while the invocation's deadline allows, and within {@link #BATCH_BUDGET} for the whole batch; a 2xx ends it, a 4xx
 * other than 408/429 gives up at once. The callbacks of a batch go out together on a small pool of its own, so a
 * slow callback endpoint holds no delivery worker.
 * Every callback ends in one log line ({@code callback.delivered} / {@code callback.failed}, with the message's
 * syncId) and one {@code sync.callbacks} count. Close it with the container.
 */
public final class HttpCallbackSender implements CallbackSender, AutoCloseable {

    static final int MAX_ATTEMPTS = 3;
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final int THREADS = 4;
    /** The most a batch's callbacks may add to its invocation, so a slow endpoint cannot stall the pipeline. */
    static final Duration BATCH_BUDGET = Duration.ofSeconds(10);

    private final TargetCaller caller;
    private final TargetCheck targetCheck;
    private final DeliverySigning signing;
    private final PipelineMetrics metrics;
    private final JsonLog log;
    private final ExecutorService pool;

    public HttpCallbackSender(TargetCaller caller, TargetCheck targetCheck, DeliverySigning signing,
                              PipelineMetrics metrics, JsonLog log) {
        this.caller = caller;
        this.targetCheck = targetCheck;
        this.signing = signing;
        this.metrics = metrics;
        this.log = log;
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "callback-sender");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void send(List<Callback> callbacks, Deadline invocation) {
        if (callbacks.isEmpty()) {
            return;
        }
        Instant budgetEnds = invocation.clock().instant().plus(BATCH_BUDGET);
        Deadline deadline = budgetEnds.isBefore(invocation.at()) ? new Deadline(budgetEnds, invocation.clock())
                : invocation;
        List<Future<?>> running = new ArrayList<>(callbacks.size());
        for (Callback c : callbacks) {
            try {
                running.add(pool.submit(() -> sendOne(c, deadline)));
            } catch (RuntimeException e) {
                ended(c, false, 0, "not sent: the callback pool refused it (" + e.getClass().getSimpleName() + ")");
            }
        }
        for (Future<?> f : running) {
            try {
                // each call is bounded by the deadline itself; this only keeps a stuck thread from holding the batch
                f.get(deadline.remaining().toMillis() + CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // logged by sendOne; a callback never fails the batch
            }
        }
    }

    private void sendOne(Callback c, Deadline deadline) {
        try {
            Clearance clearance = targetCheck.clear(c.url(), c.sourceId());
            if (!clearance.isCleared()) {
                ended(c, false, 0, clearance.refusal().reason());
                return;
            }
            WebhookSigner signer;
            try {
                signer = signing.signerFor(c.sourceId());
            } catch (SigningUnavailableException e) {
                ended(c, false, 0, "not sent unsigned: " + e.getMessage());
                return;
            }
            DeliveryRequest request = new DeliveryRequest(c.id(), c.url(), "POST", c.body(), List.of(), null,
                    c.sourceId(), null, c.trace());
            String last = "no time left in the invocation";
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Duration left = deadline.remaining();
                if (left.compareTo(MessageDelivery.MIN_ATTEMPT_TIME) < 0) {
                    ended(c, false, attempt - 1, last);
                    return;
                }
                Duration timeout = left.compareTo(CALL_TIMEOUT) < 0 ? left : CALL_TIMEOUT;
                AttemptResult r = caller.call(request, null, signer, clearance.addresses(), timeout);
                if (r instanceof AttemptResult.Answered a) {
                    if (a.status() / 100 == 2) {
                        ended(c, true, attempt, null);
                        return;
                    }
                    last = "HTTP " + a.status();
                    if (a.status() / 100 == 4 && a.status() != 408 && a.status() != 429) {
                        ended(c, false, attempt, last);
                        return;
                    }
                } else {
                    Failure f = ((AttemptResult.NotAnswered) r).failure();
                    last = f.reason();
                }
                if (attempt < MAX_ATTEMPTS) {
                    long pause = PAUSE.toMillis() * attempt;
                    if (deadline.remaining().toMillis() <= pause) {
                        ended(c, false, attempt, last);
                        return;
                    }
                    Thread.sleep(pause);
                }
            }
            ended(c, false, MAX_ATTEMPTS, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended(c, false, 0, "interrupted");
        } catch (RuntimeException e) {
            ended(c, false, 0, "not sent (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void ended(Callback c, boolean delivered, int attempts, String reason) {
        metrics.callback(c.sourceId(), delivered ? "delivered" : "failed");
        JsonLog.Entry line = delivered ? log.info(LogEvents.CALLBACK_DELIVERED) : log.warn(LogEvents.CALLBACK_FAILED);
        line.syncId(c.syncId()).traceId(c.trace() == null ? null : c.trace().traceId()).sourceId(c.sourceId())
                .outcome(c.outcome()).attempt(attempts).targetHost(c.url().getHost());
        if (reason != null) {
            line.reason(reason);
        }
        line.write();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
