package dev.datasync.local.gateway;

import static dev.datasync.local.gateway.Exchanges.drain;
import static dev.datasync.local.gateway.Exchanges.error;
import static dev.datasync.local.gateway.Exchanges.send;

import com.sun.net.httpserver.HttpExchange;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.shared.log.LogFields;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * One request at the gateway: finds its route, checks the method, lets the route's guard admit it (credential, rate
 * limit), checks the body size, and calls the route's function through the Fn HTTP-gateway contract
 * ({@link GatewayMapping}); or answers {@code /health}. Every error it answers itself is JSON
 * {@code {"code","message","field"}}; an answer to HEAD never has a body. Function calls hold one of the
 * {@code work} permits; reading a request does not, so clients that trickle their requests cannot keep the others'
 * from being worked on.
 */
final class GatewayHandler {

    private static final RuntimeLog LOG = RuntimeLog.of("gateway");

    private final List<GatewayRoute> routes;
    private final long maxBodyBytes;
    private final Semaphore work;
    private final Supplier<GatewayHealth> health;

    GatewayHandler(List<GatewayRoute> routes, long maxBodyBytes, int workers, Supplier<GatewayHealth> health) {
        this.routes = List.copyOf(routes);
        this.maxBodyBytes = maxBodyBytes;
        this.work = new Semaphore(workers, true);
        this.health = health;
    }

    /** @param draining the gateway is shutting down: the request is turned away with 503 */
    void handle(HttpExchange ex, boolean draining) {
        String requestId = UUID.randomUUID().toString().replace("-", "");
        ex.getResponseHeaders().set("opc-request-id", requestId);
        try (ex) {
            if (draining) {
                drain(ex);
                ex.getResponseHeaders().set("Retry-After", "1");
                error(ex, new GatewayError(503, "ServiceUnavailable", "the gateway is shutting down"));
                return;
            }
            route(ex, requestId);
        } catch (IOException e) {
            // client went away; nothing to answer
            LOG.info("gateway_client_io", LogFields.CODE, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.info("gateway_interrupted");
        } catch (RuntimeException e) {
            LOG.error("gateway_failure", LogFields.CODE, e.getClass().getSimpleName());
            try {
                error(ex, new GatewayError(502, "BadGateway", "the gateway failed to call the function"));
            } catch (IOException | RuntimeException ignored) {
                // headers may already be sent
            }
        }
    }

    private void route(HttpExchange ex, String requestId) throws IOException, InterruptedException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        if (path.equals("/health")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                drain(ex);
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                error(ex, new GatewayError(405, "MethodNotAllowed", method + " is not allowed on " + path));
                return;
            }
            health(ex);
            return;
        }
        List<GatewayRoute> onPath = routes.stream().filter(r -> r.matches(path)).toList();
        if (onPath.isEmpty()) {
            drain(ex);
            error(ex, new GatewayError(404, "NotFound", "no route for " + path));
            return;
        }
        GatewayRoute route = onPath.stream().filter(r -> r.method().equalsIgnoreCase(method)).findFirst()
                .orElse(null);
        if (route == null) {
            drain(ex);
            ex.getResponseHeaders().set("Allow", String.join(", ", onPath.stream().map(GatewayRoute::method)
                    .toList()));
            error(ex, new GatewayError(405, "MethodNotAllowed", method + " is not allowed on " + path));
            return;
        }
        Admission admission = route.guard().admit(ex.getRequestHeaders());
        if (admission instanceof Admission.Refused refused) {
            drain(ex);
            refused.headers().forEach(ex.getResponseHeaders()::set);
            error(ex, refused.error());
            return;
        }
        byte[] body = readBody(ex);
        if (body == null) {
            error(ex, new GatewayError(413, "PayloadTooLarge",
                    "request body is larger than " + maxBodyBytes + " bytes"));
            return;
        }
        work.acquire();
        try {
            invoke(ex, route, (Admission.Admitted) admission, body, requestId);
        } finally {
            work.release();
        }
    }

    private void invoke(HttpExchange ex, GatewayRoute route, Admission.Admitted admitted, byte[] body,
                        String requestId) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String rawTarget = ex.getRequestURI().getRawQuery() == null ? path
                : path + "?" + ex.getRequestURI().getRawQuery();
        FunctionRequest call = GatewayMapping.toInvocation(ex.getRequestMethod(), rawTarget, ex.getRequestHeaders(),
                body, ex.getRemoteAddress().getAddress().getHostAddress(), requestId, admitted);
        FunctionResponse result = route.backend().invoke(call);
        if (!result.succeeded()) {
            error(ex, GatewayMapping.platformFailure(result));
            return;
        }
        GatewayMapping.copyResponseHeaders(result, ex.getResponseHeaders());
        int status = GatewayMapping.clientStatus(result);
        byte[] out = result.body();
        if (status == 204 || status == 304 || out.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
        }
    }

    private void health(HttpExchange ex) throws IOException {
        drain(ex);
        GatewayHealth h = health.get();
        byte[] body = ("{\"status\":\"" + h.status() + "\"}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, h.ok() ? 200 : 503, body);
    }

    /** The body, or null when it is over the limit (checked on Content-Length first, then while reading). */
    private byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > maxBodyBytes) {
                    return null;
                }
            } catch (NumberFormatException ignored) {
                // the server has already rejected malformed lengths; read with the limit below
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = ex.getRequestBody()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBodyBytes) {
                    return null;
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }
}
