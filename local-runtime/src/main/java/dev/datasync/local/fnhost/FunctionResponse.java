package dev.datasync.local.fnhost;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the platform got back from one invocation. {@code platformStatus} is the Fn status of the call (200 success,
 * 502 function error, 504 time-out, 500 internal/platform error, 429 no capacity); {@code headers} are the
 * function's output headers ({@code Fn-Http-Status}, {@code Fn-Http-H-*}, Content-Type) with case-insensitive
 * names.
 */
public record FunctionResponse(int platformStatus, Map<String, List<String>> headers, String contentType, byte[] body) {

    public FunctionResponse {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body;
    }

    public boolean succeeded() {
        return platformStatus == 200;
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static FunctionResponse platformError(int status, String code, String message) {
        String json = "{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
        return new FunctionResponse(status, Map.of(), "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
