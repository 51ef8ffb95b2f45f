package dev.datasync.shared.fn;

import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.api.httpgateway.HTTPGatewayContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Fn HTTP-gateway contract between API Gateway and a function, the one place its header names are written: a
 * client request reaches the function as {@code Fn-Intent: httprequest}, {@code Fn-Http-Method},
 * {@code Fn-Http-Request-Url} and each client header {@code X} as {@code Fn-Http-H-X}; the function answers with
 * {@code Fn-Http-Status} and {@code Fn-Http-H-Y} for each response header {@code Y} the client gets.
 */
public final class FnHttpGateway {

    public static final String INTENT = "Fn-Intent";
    /** The {@link #INTENT} of an invocation through the gateway. */
    public static final String HTTP_REQUEST_INTENT = "httprequest";
    public static final String METHOD = "Fn-Http-Method";
    public static final String REQUEST_URL = "Fn-Http-Request-Url";
    public static final String STATUS = "Fn-Http-Status";
    /** Prefix of a client's request header on the way in and of a response header on the way out. */
    public static final String HEADER_PREFIX = "Fn-Http-H-";

    private FnHttpGateway() {
    }

    /** The name under which a client's (or a response's) header {@code name} travels. */
    public static String header(String name) {
        return HEADER_PREFIX + name;
    }

    /**
     * The invocation headers of a gateway request: intent, method, URL (path and query) and each client header
     * prefixed; Content-Type is also passed as is, as the gateway does.
     */
    public static Map<String, List<String>> request(String method, String url, Map<String, String> clientHeaders) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put(INTENT, List.of(HTTP_REQUEST_INTENT));
        h.put(METHOD, List.of(method));
        h.put(REQUEST_URL, List.of(url));
        clientHeaders.forEach((name, value) -> {
            h.put(header(name), List.of(value));
            if (name.equalsIgnoreCase("Content-Type")) {
                h.put(name, List.of(value));
            }
        });
        return h;
    }

    /** Writes a handler's status and headers onto the gateway context; returns the body for the FDK to send. */
    public static byte[] write(HTTPGatewayContext gateway, GatewayAnswer answer) {
        gateway.setStatusCode(answer.status());
        answer.headers().forEach((name, value) -> gateway.setResponseHeader(name, value));
        return answer.body();
    }

    /** The HTTP status a function's output gives the client ({@code Fn-Http-Status}, 200 when it sets none). */
    public static int status(OutputEvent out) {
        return Integer.parseInt(out.getHeaders().get(STATUS).orElse("200"));
    }

    /** The response header {@code name} a function's output gives the client. */
    public static Optional<String> responseHeader(OutputEvent out, String name) {
        return out.getHeaders().get(header(name));
    }
}
