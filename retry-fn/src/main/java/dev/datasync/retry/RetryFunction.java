package dev.datasync.retry;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.RuntimeContext;
import com.fnproject.fn.api.httpgateway.HTTPGatewayContext;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.FunctionBody;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.OciErrorStreamReader;
import dev.datasync.shared.oci.PartitionReader;
import dev.datasync.shared.retry.StreamUnavailableException;
import dev.datasync.shared.retry.RetryRequest;
import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.shared.retry.RetryResponse;
import dev.datasync.shared.retry.RetryService;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.routing.RoutingFailedException;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * POST /stream/retry: replays part of one error stream (see {@link RetryService}). Answers 200 with the
 * {@link dev.datasync.shared.retry.RetryResponse} of the public contract, 400 {@code {code, message, field}} for an invalid request (nothing read), 405 for
 * another method, 503 with Retry-After when Streaming cannot be read or failures cannot be routed (messages not
 * routed are still at their offsets in the retried stream: nothing is lost, the same call can be repeated).
 */
public class RetryFunction {

    private DeliveryStack stack;
    private RetryRequestReader requests;
    private RetryService service;
    private JsonLog log;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        log = JsonLog.stderr().component("retry-fn");
        DataSyncConfig config = FunctionConfig.load(ctx, log);
        stack = DeliveryStack.create(config, log);
        Set<String> writable = new HashSet<>(config.errorRouting().routes().values());
        requests = new RetryRequestReader(config.retryableStreams(), writable);
        service = new RetryService(new OciErrorStreamReader(new PartitionReader(stack.clients().stream())), stack.pipeline(),
                stack.defaultRoutes(), log);
    }

    public String handleRequest(HTTPGatewayContext http, InputEvent event) {
        http.setResponseHeader("Content-Type", "application/json");
        String method = http.getMethod();
        if (method != null && !method.isEmpty() && !method.equalsIgnoreCase("POST")) {
            http.setResponseHeader("Allow", "POST");
            return error(http, 405, new ApiError(ErrorCodes.METHOD_NOT_ALLOWED, "use POST", null));
        }
        byte[] body = FunctionBody.bytes(event);
        Validated<RetryRequest> v = requests.read(body);
        if (!v.isOk()) {
            log.info("retry.rejected").code(v.error().code()).field(v.error().field()).write();
            return error(http, 400, v.error());
        }
        try {
            RetryResponse response = service.retry(v.value(), Deadline.forFunction(event.getDeadline(),
                    Clock.systemUTC()));
            http.setStatusCode(200);
            return Json.toText(response);
        } catch (StreamUnavailableException e) {
            log.error("retry.stream_unavailable").streamId(v.value().streamOCIDToRetry()).status(e.status())
                    .code(e.serviceCode()).write();
            http.setResponseHeader("Retry-After", "5");
            return error(http, 503, new ApiError(ErrorCodes.UNAVAILABLE,
                    "the stream could not be read (HTTP " + e.status() + "); nothing was processed", null));
        } catch (RoutingFailedException e) {
            log.error("retry.routing_failed").streamId(v.value().streamOCIDToRetry()).reason(e.getMessage()).write();
            http.setResponseHeader("Retry-After", "5");
            return error(http, 503, new ApiError(ErrorCodes.UNAVAILABLE, e.getMessage()
                    + "; they remain in the retried stream, repeat the call with the same readAfterOffset", null));
        }
    }

    private static String error(HTTPGatewayContext http, int status, ApiError error) {
        http.setStatusCode(status);
        return Json.toText(error);
    }
}
