package dev.datasync.local.fnhost;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What the platform got back from one invocation. {@code platformStatus} is the Fn status of the call (200 success,
 * 502 function error, 504 time-out, 500 internal/platform error, 429 no capacity); {@code headers} are the
 * function's output headers ({@code Fn-Http-Status}, {@code Fn-Http-H-*}, Content-Type) with case-insensitive
 * names.
 */
public record FunctionResponse(int platformStatus, Map<String, List<String>> headers, String contentType, byte[] body,
                               CompletableFuture<Void> abandonedCall) {

    /** @param abandonedCall null, or — for a call answered 504 while the function still runs — when it really ends */
    public FunctionResponse {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        }
        headers = java.util.Collections.unmodifiableMap(h);
        body = body == null ? new byte[0] : body;
    }

    public FunctionResponse(int platformStatus, Map<String, List<String>> headers, String contentType, byte[] body) {
        this(platformStatus, headers, contentType, body, null);
    }

    /**
     * When the function call behind this answer has really ended. Done at once for a normal answer; for a time-out
     * the platform answered while the call's thread may still run (Java cannot kill it), and this completes when
     * that thread's call returns or its container's runtime exits.
     */
    public CompletableFuture<Void> callEnded() {
        return abandonedCall == null ? CompletableFuture.completedFuture(null) : abandonedCall;
    }

    FunctionResponse withAbandonedCall(CompletableFuture<Void> call) {
        return new FunctionResponse(platformStatus, headers, contentType, body, call);
    }

    public boolean succeeded() {
        return platformStatus == 200;
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    static FunctionResponse platformError(int status, String code, String message) {
        String json = "{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}";
        return new FunctionResponse(status, Map.of(), "application/json", json.getBytes(StandardCharsets.UTF_8));
    }
}
