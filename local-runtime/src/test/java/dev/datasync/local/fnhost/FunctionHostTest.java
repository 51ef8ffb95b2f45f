package dev.datasync.local.fnhost;

import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.local.log.CapturedLog;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class FunctionHostTest {

    private static FunctionSpec spec(String entryPoint, int pool, Duration timeout) {
        return new FunctionSpec("TestApp", "ocid1.fnapp.oc1..app", "test-fn", "ocid1.fnfunc.oc1..fn", entryPoint,
                Map.of("greeting", "hello"), timeout, pool, 128);
    }

    private static FunctionRequest plainText(String body) {
        return new FunctionRequest(Map.of("Content-Type", List.of("text/plain")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String bodyText(FunctionResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    public void gatewayEventGoesThroughTheRealFdkRuntime() {
        try (FunctionHost host = FunctionHost.start(spec("dev.datasync.testfns.EchoFunction::handleRequest", 1,
                Duration.ofSeconds(30)))) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put(FnHttpGateway.INTENT, List.of(FnHttpGateway.HTTP_REQUEST_INTENT));
            headers.put(FnHttpGateway.METHOD, List.of("POST"));
            headers.put(FnHttpGateway.REQUEST_URL, List.of("/stream/sync?q=42"));
            headers.put(FnHttpGateway.header("X-Custom"), List.of("abc"));
            headers.put("Content-Type", List.of("text/plain"));
            FunctionResponse r = host.invoke(new FunctionRequest(headers, "ping".getBytes()));

            assertEquals(200, r.platformStatus());
            assertEquals("201", r.header(FnHttpGateway.STATUS).orElse(null));
            assertEquals("yes", r.header(FnHttpGateway.header("X-Echo")).orElse(null));
            String body = bodyText(r);
            assertTrue(body, body.contains("\"method\":\"POST\""));
            assertTrue(body, body.contains("\"url\":\"/stream/sync?q=42\""));
            assertTrue(body, body.contains("\"custom\":\"abc\""));
            assertTrue(body, body.contains("\"greeting\":\"hello\""));
            assertTrue(body, body.contains("\"appId\":\"ocid1.fnapp.oc1..app\""));
            assertTrue(body, body.contains("\"fnId\":\"ocid1.fnfunc.oc1..fn\""));
            assertTrue(body, body.contains("\"query\":\"42\""));
            assertTrue(body, body.contains("\"body\":\"ping\""));
        }
    }

    @Test
    public void eachContainerHasItsOwnStaticsAndServesOneCallAtATime() throws Exception {
        try (FunctionHost host = FunctionHost.start(spec("dev.datasync.testfns.CounterFunction::handleRequest", 2,
                Duration.ofSeconds(30)))) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<FunctionResponse>> futures = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    futures.add(pool.submit(() -> host.invoke(plainText("sleep:50"))));
                }
                Set<String> loaders = new HashSet<>();
                int totalCalls = 0;
                Map<String, Integer> maxCallsPerLoader = new LinkedHashMap<>();
                for (Future<FunctionResponse> f : futures) {
                    FunctionResponse r = f.get();
                    assertEquals(200, r.platformStatus());
                    String[] parts = bodyText(r).split(",");
                    assertEquals("concurrent=1", parts[1]);
                    String loader = parts[2];
                    loaders.add(loader);
                    int calls = Integer.parseInt(parts[0].substring("calls=".length()));
                    maxCallsPerLoader.merge(loader, calls, Math::max);
                    totalCalls++;
                }
                assertEquals(2, loaders.size());
                // per-container counters add up to the calls made: statics are not shared between containers
                assertEquals(totalCalls, maxCallsPerLoader.values().stream().mapToInt(Integer::intValue).sum());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    public void uncaughtExceptionIs502AndTheContainerStaysInService() {
        try (CapturedLog log = new CapturedLog();
             FunctionHost host = FunctionHost.start(spec("dev.datasync.testfns.CounterFunction::handleRequest", 1,
                     Duration.ofSeconds(30)))) {
            FunctionResponse failed = host.invoke(plainText("fail"));
            assertEquals(502, failed.platformStatus());
            FunctionResponse ok = host.invoke(plainText("x"));
            assertEquals(200, ok.platformStatus());
            assertTrue(bodyText(ok), bodyText(ok).startsWith("calls=2"));
            assertEquals("no container replaced", 0, log.lines("container_replaced").size());
        }
    }

    @Test
    public void overrunningCallIsAnswered504AndItsContainerReplaced() {
        try (CapturedLog log = new CapturedLog();
             FunctionHost host = FunctionHost.start(spec("dev.datasync.testfns.HangingFunction::handleRequest", 1,
                     Duration.ofMillis(700)))) {
            long t0 = System.nanoTime();
            FunctionResponse late = host.invoke(plainText("hang"));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(504, late.platformStatus());
            assertTrue(bodyText(late), bodyText(late).contains("FunctionInvokeTimeout"));
            assertTrue("answered at the deadline, not when the call ended: " + ms, ms < 2_500);

            // the stuck container is still spinning; a fresh one serves the next call at once
            FunctionResponse next = host.invoke(plainText("quick"));
            assertEquals(200, next.platformStatus());
            assertEquals("done", bodyText(next));
            assertEquals("one container replaced", 1, log.lines("container_replaced").size());
        }
    }

    @Test
    public void functionThatCannotBeLoadedFailsEachCallFast() {
        try (FunctionHost host = FunctionHost.start(spec("dev.datasync.testfns.NoSuchFunction::handleRequest", 1,
                Duration.ofSeconds(30)))) {
            long t0 = System.nanoTime();
            FunctionResponse r = host.invoke(plainText("x"));
            assertTrue(r.platformStatus() >= 500);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000);
        }
    }
}
