package dev.datasync.local.stack;

import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.local.fnhost.FunctionHost;
import dev.datasync.local.fnhost.FunctionRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Builds every container's function object and SDK clients before the first real request, with calls that write
 * nothing: an empty sync body (answered 400), an empty connector batch, an empty retry request (400), an upload event
 * for an object that does not exist (the ingest answers "gone" after one HeadObject). Their log lines
 * are marked {@code "warmUp": true} and the expected rejections logged at INFO ({@link WarmUpLog}), so a start shows
 * no alarming WARN.
 */
final class WarmUp {

    private static final Map<String, String> BODIES = Map.of(Topology.POPULATE_FN, "{}", Topology.READ_FN, "[]",
            Topology.RETRY_FN, "{}", Topology.INGEST_FN,
            "{\"eventType\":\"com.oraclecloud.objectstorage.createobject\",\"data\":{\"resourceName\":"
                    + "\"incoming/warm-up/none.jsonl\",\"additionalDetails\":{\"bucketName\":\""
                    + Topology.INGEST_BUCKET + "\"}}}");
    /** The functions OCI invokes with an event or a batch, not through the API gateway. */
    private static final List<String> NOT_BEHIND_THE_GATEWAY = List.of(Topology.READ_FN, Topology.INGEST_FN);

    private WarmUp() {
    }

    /** Calls each of {@code poolSize} containers of every function once; fails if a function cannot start. */
    static void run(Map<String, FunctionHost> functions, int poolSize) throws Exception {
        try (AutoCloseable marked = WarmUpLog.install()) {
            callEveryContainer(functions, poolSize);
        }
    }

    private static void callEveryContainer(Map<String, FunctionHost> functions, int poolSize) {
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (Map.Entry<String, FunctionHost> e : functions.entrySet()) {
            for (int i = 0; i < poolSize; i++) {
                FunctionRequest req = request(e.getKey(), BODIES.get(e.getKey()));
                calls.add(CompletableFuture.runAsync(() -> {
                    var r = e.getValue().invoke(req);
                    if (!r.succeeded()) {
                        throw new IllegalStateException(e.getKey() + " failed to start (status "
                                + r.platformStatus() + "); see its log lines above");
                    }
                }));
            }
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException re ? re : ex;
        }
    }

    private static FunctionRequest request(String fn, String body) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        if (!NOT_BEHIND_THE_GATEWAY.contains(fn)) {
            h.put(FnHttpGateway.INTENT, List.of(FnHttpGateway.HTTP_REQUEST_INTENT));
            h.put(FnHttpGateway.METHOD, List.of("POST"));
            h.put(FnHttpGateway.REQUEST_URL, List.of(fn.equals(Topology.RETRY_FN) ? "/stream/retry" : "/stream/sync"));
            h.put(FnHttpGateway.header("Content-Type"), List.of("application/json"));
        }
        return new FunctionRequest(h, body.getBytes(StandardCharsets.UTF_8));
    }
}
