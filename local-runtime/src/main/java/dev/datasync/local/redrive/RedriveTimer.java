package dev.datasync.local.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.fnhost.FunctionInvoker;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.shared.config.RedriveSettings;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.log.LogFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What triggers the automatic redrive locally, in place of OCI's alarm on {@code redrive.pending}: the retry
 * function invoked with {@code {"mode":"redrive"}} (the same jar, the same redrive pass) on a fixed delay — the
 * shortest slot of {@code redrive_schedule}, within {@link #MIN_PERIOD}..{@link #MAX_PERIOD} — so a message is tried
 * again within one period of its slot. One pass at a time. A pass that read something is logged with its totals,
 * a failed call as a warning; passes with nothing to do are not logged.
 */
public final class RedriveTimer implements AutoCloseable {

    public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    public static final Duration MAX_PERIOD = Duration.ofSeconds(60);
    static final byte[] BODY = "{\"mode\":\"redrive\"}".getBytes(StandardCharsets.UTF_8);

    private static final RuntimeLog LOG = RuntimeLog.of("redrive");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionInvoker retryFunction;
    private final Duration period;
    private final ScheduledExecutorService timer;

    private RedriveTimer(FunctionInvoker retryFunction, Duration period) {
        this.retryFunction = retryFunction;
        this.period = period;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redrive-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** The period for a schedule: its shortest slot, at least {@link #MIN_PERIOD}, at most {@link #MAX_PERIOD}. */
    public static Duration period(RedriveSettings settings) {
        Duration shortest = settings.shortestSlot();
        return shortest.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : shortest.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD
                : shortest;
    }

    public static RedriveTimer start(FunctionInvoker retryFunction, RedriveSettings settings) {
        RedriveTimer t = new RedriveTimer(retryFunction, period(settings));
        t.timer.scheduleWithFixedDelay(t::pass, t.period.toMillis(), t.period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("redrive_timer_started", "periodMs", t.period.toMillis());
        return t;
    }

    public Duration period() {
        return period;
    }

    /** One redrive pass through the retry function; never throws (the timer would stop). */
    void pass() {
        try {
            FunctionResponse r = retryFunction.invoke(new FunctionRequest(
                    Map.of("Content-Type", List.of("application/json")), BODY));
            String status = r.header(FnHttpGateway.STATUS).orElse(Integer.toString(r.platformStatus()));
            if (!r.succeeded() || !status.equals("200")) {
                LOG.warn("redrive_failed", LogFields.STATUS, r.platformStatus(), "answer", status);
                return;
            }
            report(JSON.readTree(r.body()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("redrive_failed", LogFields.CODE, e.getClass().getSimpleName());
        }
    }

    private static void report(JsonNode totals) {
        for (JsonNode t : totals.path("streams")) {
            if (t.path("read").asInt() > 0) {
                LOG.info("redrive_pass", LogFields.STREAM, t.path("stream").asText(), "read", t.path("read").asInt(),
                        "delivered", t.path("delivered").asInt(), "reappended", t.path("reappended").asInt(),
                        "deadLettered", t.path("deadLettered").asInt(), "pending", t.path("pending").asInt(),
                        LogFields.OUTCOME, t.path("outcome").asText());
            }
        }
    }

    /**
     * Stops the timer and lets a pass under way finish (it commits what it settled), so none runs while the
     * functions stop; one that takes longer than {@link #MAX_PERIOD} is interrupted.
     */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(MAX_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
