package dev.datasync.retry;

import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.redrive.RedrivePass;
import dev.datasync.shared.redrive.RedriveReport;
import dev.datasync.shared.replay.PartitionBusyException;
import dev.datasync.shared.retry.RedriveTrigger;
import dev.datasync.shared.retry.RetryRequest;
import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.shared.retry.RetryService;
import dev.datasync.shared.retry.StreamUnavailableException;
import dev.datasync.shared.retry.UnknownPartitionException;
import dev.datasync.shared.routing.RoutingFailedException;
import dev.datasync.shared.state.StateUnavailableException;

/**
 * POST /stream/retry: replays part of one error stream (see {@link RetryService}). Answers 200 with the
 * reference's response fields, 400 {@code {code, message, field}} for an invalid request or a partition the stream
 * does not have (nothing read), 405 for another method, 409 {@code ReplayInProgress} with Retry-After while another
 * replay or the redrive pass holds the same stream partition (nothing read: the caller asks again, it does not
 * wait here), 503 with Retry-After when Streaming cannot be read, failures cannot be routed (messages not routed
 * are still at their offsets in the retried stream: nothing is lost, the same call can be repeated) or the state
 * store (the partition's lease and marks) cannot be reached.
 * <p>
 * A request that is no replay request — empty, {@code {"mode":"redrive"}} or an alarm's notification
 * ({@link RedriveTrigger}) — runs one automatic redrive pass ({@link RedrivePass}) and answers its totals
 * ({@link RedriveReport}): 200, or 503 with Retry-After when a stream could not be read or its messages placed
 * (what was not committed is read again by the next pass).
 * No FDK type: {@code RetryFunction} adapts it. Thread-safe; one per container.
 */
public final class RetryHandler {

    /** Seconds a caller should wait before repeating a call answered 503. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final RetryRequestReader requests;
    private final RetryService service;
    private final RedrivePass redrive;
    private final PipelineMetrics metrics;
    private final JsonLog log;

    /** @param metrics the figures the replay's pipeline records, published once per invocation */
    public RetryHandler(RetryRequestReader requests, RetryService service, RedrivePass redrive,
                        PipelineMetrics metrics, JsonLog log) {
        this.requests = requests;
        this.service = service;
        this.redrive = redrive;
        this.metrics = metrics;
        this.log = log;
    }

    /** @param method the gateway's HTTP method ("" when invoked directly, treated as POST) */
    public GatewayAnswer handle(String method, byte[] body, Deadline deadline) {
        try {
            return answer(method, body, deadline);
        } finally {
            metrics.publish(); // a no-op after a redrive pass, which publishes its own
        }
    }

    private GatewayAnswer answer(String method, byte[] body, Deadline deadline) {
        if (method != null && !method.isEmpty() && !method.equalsIgnoreCase("POST")) {
            return GatewayAnswer.json(405, new ApiError(ErrorCodes.METHOD_NOT_ALLOWED, "use POST", null))
                    .withHeader("Allow", "POST");
        }
        switch (RedriveTrigger.classify(body)) {
            case REDRIVE -> {
                return redrive(deadline);
            }
            case UNKNOWN_MODE -> {
                log.info("retry.rejected").code(ErrorCodes.INVALID_FIELD).field(RedriveTrigger.MODE).write();
                return GatewayAnswer.json(400, new ApiError(ErrorCodes.INVALID_FIELD,
                        "mode must be \"redrive\" (a replay request names streamOCIDToRetry instead)",
                        RedriveTrigger.MODE));
            }
            default -> {
                // a replay request
            }
        }
        Validated<RetryRequest> v = requests.read(body);
        if (!v.isOk()) {
            log.info("retry.rejected").code(v.error().code()).field(v.error().field()).write();
            return GatewayAnswer.json(400, v.error());
        }
        String stream = v.value().streamOCIDToRetry();
        try {
            return GatewayAnswer.json(200, service.retry(v.value(), deadline));
        } catch (UnknownPartitionException e) {
            log.info("retry.rejected").streamId(stream).code(ErrorCodes.INVALID_FIELD).field("readPartition").write();
            return GatewayAnswer.json(400, new ApiError(ErrorCodes.INVALID_FIELD, e.getMessage()
                    + "; nothing was read", "readPartition"));
        } catch (StreamUnavailableException e) {
            log.error("retry.stream_unavailable").streamId(stream).status(e.status()).code(e.serviceCode()).write();
            return unavailable("the stream could not be read (HTTP " + e.status() + "); nothing was processed");
        } catch (PartitionBusyException e) {
            log.info("retry.busy").streamId(stream).partition(v.value().readPartition())
                    .code(ErrorCodes.REPLAY_IN_PROGRESS).reason(e.getMessage()).write();
            return GatewayAnswer.json(409, new ApiError(ErrorCodes.REPLAY_IN_PROGRESS, "another replay (or the redrive "
                    + "pass) is processing this stream partition; nothing was read, ask again after Retry-After",
                    "readPartition")).withHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        } catch (StateUnavailableException e) {
            log.error("retry.state_unavailable").streamId(stream).reason(e.getMessage()).write();
            return unavailable("the state store (replay lease and marks) could not be reached, so no progress was "
                    + "recorded; repeat the call with the same readAfterOffset");
        } catch (RoutingFailedException e) {
            log.error("retry.routing_failed").streamId(stream).reason(e.getMessage()).write();
            return unavailable(e.getMessage()
                    + "; they remain in the retried stream, repeat the call with the same readAfterOffset");
        }
    }

    private GatewayAnswer redrive(Deadline deadline) {
        RedriveReport report = redrive.run(deadline);
        GatewayAnswer answer = GatewayAnswer.json(report.ok() ? 200 : 503, report);
        return report.ok() ? answer : answer.withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    private static GatewayAnswer unavailable(String message) {
        return GatewayAnswer.json(503, new ApiError(ErrorCodes.UNAVAILABLE, message, null))
                .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
}
