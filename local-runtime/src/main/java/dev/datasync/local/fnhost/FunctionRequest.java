package dev.datasync.local.fnhost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invocation as the Fn platform hands it to a container: the invocation headers (for a gateway call these are
 * {@code Fn-Http-Method}, {@code Fn-Http-Request-Url}, {@code Fn-Intent}, {@code Fn-Http-H-*} and Content-Type) and
 * the body. {@code Fn-Call-Id} and {@code Fn-Deadline} are added by the host.
 */
public record FunctionRequest(Map<String, List<String>> headers, byte[] body) {

    public FunctionRequest {
        headers = copy(headers);
        body = body == null ? new byte[0] : body;
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> in) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (in != null) {
            in.forEach((k, v) -> out.put(k, List.copyOf(v)));
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
