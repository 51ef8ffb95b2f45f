package dev.datasync.local.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.fnhost.FunctionInvoker;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.observe.MessageTrace;
import dev.datasync.local.observe.PipelineStatus;
import dev.datasync.local.observe.StackView;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.log.LogFields;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The back end of the gateway's admin JSON routes (behind {@link AdminCredentialGuard}, like {@code /stream/retry}):
 * {@code GET /admin/trace/{syncId}} → {@link MessageTrace} (404 {@code {"code":"NotFound",...,"field":"syncId"}}
 * for an unknown syncId) and {@code GET /admin/status} → {@link PipelineStatus}: the same JSON as
 * {@code ./datasync trace SYNCID --json} and {@code ./datasync status --json}. It answers through the Fn HTTP
 * contract like a function, so the gateway treats it as any other route; it runs in the stack's own process.
 */
public final class AdminApi implements FunctionInvoker {

    public static final String TRACE_ROUTE = "/admin/trace/{syncId}";
    public static final String STATUS_ROUTE = "/admin/status";

    private static final RuntimeLog LOG = RuntimeLog.of("admin-api");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_PREFIX = "/admin/trace/";

    private final Supplier<StackView> stack;

    public AdminApi(Supplier<StackView> stack) {
        this.stack = stack;
    }

    @Override
    public FunctionResponse invoke(FunctionRequest request) {
        String url = request.headers().getOrDefault(FnHttpGateway.REQUEST_URL, List.of("")).get(0);
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        try {
            if (path.startsWith(TRACE_PREFIX)) {
                String syncId = URLDecoder.decode(path.substring(TRACE_PREFIX.length()), StandardCharsets.UTF_8);
                Optional<ObjectNode> trace = new MessageTrace(stack.get()).of(syncId);
                return trace.map(t -> answer(200, t)).orElseGet(() -> answer(404,
                        error("NotFound", "no message with syncId " + syncId, "syncId")));
            }
            if (path.equals(STATUS_ROUTE)) {
                return answer(200, new PipelineStatus(stack.get(), Clock.systemUTC()).now());
            }
            return answer(404, error("NotFound", "no route for " + path, null));
        } catch (RuntimeException e) {
            LOG.warn("admin_read_failed", LogFields.CODE, e.getClass().getSimpleName());
            return answer(503, error("ServiceUnavailable", "the stack's streams or state could not be read, try "
                    + "again", null));
        }
    }

    private static ObjectNode error(String code, String message, String field) {
        ObjectNode o = JSON.createObjectNode();
        o.put("code", code);
        o.put("message", message);
        o.put("field", field);
        return o;
    }

    private static FunctionResponse answer(int status, ObjectNode body) {
        try {
            return new FunctionResponse(200, Map.of(FnHttpGateway.STATUS, List.of(Integer.toString(status))),
                    "application/json", JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
