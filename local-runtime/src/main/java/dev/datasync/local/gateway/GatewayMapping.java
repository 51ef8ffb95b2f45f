package dev.datasync.local.gateway;

import com.sun.net.httpserver.Headers;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.shared.fn.FnHttpGateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How OCI API Gateway (the Fn HTTP-gateway contract) turns an HTTP request into a function invocation and the
 * invocation's output back into an HTTP response.
 */
final class GatewayMapping {

    /** Hop-by-hop and framing headers are the gateway's business, never the function's. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "upgrade", "proxy-authorization", "proxy-authenticate", "trailer", "content-length", "expect");

    private GatewayMapping() {
    }

    /**
     * Client header {@code X} becomes {@code Fn-Http-H-X} (Content-Type is also passed as is), plus
     * {@code Fn-Http-Method}, {@code Fn-Http-Request-Url} (path and query, as OCI sends it), {@code Fn-Intent:
     * httprequest} and {@code Fn-Invoke-Type: sync}. Headers the route's guard consumed (credentials, a caller's
     * copy of a gateway-set header) are not passed on; the headers it sets (the verified source id) are added as
     * the gateway's own.
     */
    static FunctionRequest toInvocation(String method, String rawPathAndQuery, Headers client, byte[] body,
                                        String clientAddress, String requestId, Admission.Admitted admitted) {
        Set<String> consumed = admitted.consumed();
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put(FnHttpGateway.INTENT, List.of(FnHttpGateway.HTTP_REQUEST_INTENT));
        h.put("Fn-Invoke-Type", List.of("sync"));
        h.put(FnHttpGateway.METHOD, List.of(method));
        h.put(FnHttpGateway.REQUEST_URL, List.of(rawPathAndQuery));
        for (Map.Entry<String, List<String>> e : client.entrySet()) {
            String name = e.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || consumed.contains(lower)) {
                continue;
            }
            h.put(FnHttpGateway.header(name), List.copyOf(e.getValue()));
            if (lower.equals("content-type")) {
                h.put("Content-Type", List.copyOf(e.getValue()));
            }
        }
        for (Map.Entry<String, String> e : admitted.set().entrySet()) {
            h.put(FnHttpGateway.header(e.getKey()), List.of(e.getValue()));
        }
        h.put(FnHttpGateway.header("X-Forwarded-For"), List.of(clientAddress));
        h.put(FnHttpGateway.header("X-Real-Ip"), List.of(clientAddress));
        h.put(FnHttpGateway.header("Opc-Request-Id"), List.of(requestId));
        return new FunctionRequest(h, body);
    }

    /** The HTTP status the client sees: {@code Fn-Http-Status} when the call succeeded, else the gateway's error. */
    static int clientStatus(FunctionResponse r) {
        if (!r.succeeded()) {
            return switch (r.platformStatus()) {
                case 504 -> 504;
                case 429 -> 429;
                case 503 -> 503;
                default -> 502;
            };
        }
        String s = r.header(FnHttpGateway.STATUS).orElse("200");
        try {
            int status = Integer.parseInt(s.trim());
            return status >= 100 && status <= 599 ? status : 502;
        } catch (NumberFormatException e) {
            return 502;
        }
    }

    /** {@code Fn-Http-H-Y: v} becomes {@code Y: v}; Content-Type passes through; other function headers dropped. */
    static void copyResponseHeaders(FunctionResponse r, Headers out) {
        for (Map.Entry<String, List<String>> e : r.headers().entrySet()) {
            String name = e.getKey();
            if (name.regionMatches(true, 0, FnHttpGateway.HEADER_PREFIX, 0, FnHttpGateway.HEADER_PREFIX.length())
                    && name.length() > FnHttpGateway.HEADER_PREFIX.length()) {
                String clientName = name.substring(FnHttpGateway.HEADER_PREFIX.length());
                if (!NOT_FORWARDED.contains(clientName.toLowerCase(Locale.ROOT))) {
                    out.put(clientName, List.copyOf(e.getValue()));
                }
            }
        }
        if (r.contentType() != null) {
            out.set("Content-Type", r.contentType());
        }
    }

    static GatewayError platformFailure(FunctionResponse r) {
        return switch (clientStatus(r)) {
            case 504 -> new GatewayError(504, "GatewayTimeout", "the function did not answer in time");
            case 429 -> new GatewayError(429, "TooManyRequests", "the function has no free capacity; retry later");
            case 503 -> new GatewayError(503, "ServiceUnavailable", "the function is not available");
            default -> new GatewayError(502, "BadGateway", "the function failed to handle the request");
        };
    }
}
