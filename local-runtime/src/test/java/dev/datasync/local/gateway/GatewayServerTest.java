package dev.datasync.local.gateway;

import dev.datasync.local.fnhost.FunctionHost;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.fnhost.FunctionSpec;
import dev.datasync.local.identity.TestSources;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.fn.FnHttpGateway;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

public class GatewayServerTest {

    private static final String ADMIN = "admin-secret-123";
    private static final TestSources SOURCES = TestSources.fresh();
    private static final String SOURCE = SOURCES.add("gateway-test");
    private static final AtomicReference<FunctionRequest> retryCall = new AtomicReference<>();
    private static final AtomicReference<FunctionResponse> retryAnswer = new AtomicReference<>();
    private static final AtomicBoolean ready = new AtomicBoolean();
    private static FunctionHost echo;
    private static GatewayServer gateway;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeClass
    public static void start() throws Exception {
        echo = FunctionHost.start(new FunctionSpec("App", "ocid1.fnapp.oc1..a", "echo", "ocid1.fnfunc.oc1..e",
                "dev.datasync.testfns.EchoFunction::handleRequest", Map.of(), Duration.ofSeconds(30), 2, 128));
        gateway = GatewayServer.start(0, List.of(
                new GatewayRoute("POST", "/stream/sync", echo, syncGuard()),
                new GatewayRoute("POST", "/stream/retry", req -> {
                    retryCall.set(req);
                    return retryAnswer.get();
                }, new AdminCredentialGuard(ADMIN))), 1024, 8,
                () -> ready.get() ? GatewayHealth.READY : GatewayHealth.STARTING);
    }

    private static SourceCredentialGuard syncGuard() {
        return new SourceCredentialGuard(SOURCES.verifier(), ADMIN);
    }

    @AfterClass
    public static void stop() {
        gateway.close();
        echo.close();
    }

    @Before
    public void reset() {
        retryCall.set(null);
        retryAnswer.set(new FunctionResponse(200, Map.of(FnHttpGateway.STATUS, List.of("200")), "application/json",
                "{\"endOfStream\":true}".getBytes()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    @Test
    public void syncRouteMapsRequestAndResponseLikeApiGateway() throws Exception {
        HttpResponse<String> r = send(post("/stream/sync?q=7", "hi").header("Authorization", "Bearer caller-tok")
                .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + SOURCE)
                .header("X-Custom", "v1").header("Content-Type", "text/plain"));
        assertEquals(201, r.statusCode());
        assertEquals("yes", r.headers().firstValue("X-Echo").orElse(null));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.body(), r.body().contains("\"method\":\"POST\""));
        assertTrue(r.body(), r.body().contains("\"url\":\"/stream/sync?q=7\""));
        assertTrue(r.body(), r.body().contains("\"custom\":\"v1\""));
        assertTrue(r.body(), r.body().contains("\"body\":\"hi\""));
        assertFalse("function-internal headers are not leaked", r.headers().map().keySet().stream()
                .anyMatch(k -> k.toLowerCase().startsWith("fn-")));
    }

    @Test
    public void syncRoutePassesTheCallersAuthorizationThrough() throws Exception {
        AtomicReference<FunctionRequest> seen = new AtomicReference<>();
        try (GatewayServer gw = GatewayServer.start(0, List.of(new GatewayRoute("POST", "/stream/sync", req -> {
            seen.set(req);
            return new FunctionResponse(200, Map.of(FnHttpGateway.STATUS, List.of("202")), "application/json",
                    "{}".getBytes());
        }, syncGuard())), 1024, 2, () -> GatewayHealth.READY)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/stream/sync"))
                    .header("Authorization", "Bearer caller-tok").header(SourceHeaders.SOURCE_TOKEN, SOURCE)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode());
            Map<String, List<String>> h = seen.get().headers();
            assertEquals(List.of("Bearer caller-tok"), h.get(FnHttpGateway.header("Authorization")));
            assertEquals(List.of(FnHttpGateway.HTTP_REQUEST_INTENT), h.get(FnHttpGateway.INTENT));
            assertEquals(List.of("POST"), h.get(FnHttpGateway.METHOD));
            assertEquals(List.of("/stream/sync"), h.get(FnHttpGateway.REQUEST_URL));
        }
    }

    @Test
    public void retryRouteRequiresTheAdminTokenAndDoesNotForwardIt() throws Exception {
        HttpResponse<String> none = send(post("/stream/retry", "{}"));
        assertEquals(401, none.statusCode());
        assertTrue(none.body(), none.body().contains("\"code\":\"Unauthorized\""));
        assertTrue(none.body(), none.body().contains("\"field\":\"X-DataSync-Admin-Token\""));
        assertNull("backend not called without the token", retryCall.get());

        HttpResponse<String> wrong = send(post("/stream/retry", "{}").header("Authorization", "Bearer nope"));
        assertEquals(401, wrong.statusCode());
        assertFalse("the token is never echoed", wrong.body().contains(ADMIN));
        assertNull(retryCall.get());

        HttpResponse<String> ok = send(post("/stream/retry", "{}").header("Authorization", "Bearer " + ADMIN));
        assertEquals(200, ok.statusCode());
        assertEquals("{\"endOfStream\":true}", ok.body());
        assertFalse(retryCall.get().headers().containsKey(FnHttpGateway.header("Authorization")));

        retryCall.set(null);
        HttpResponse<String> inItsHeader = send(post("/stream/retry", "{}").header(SourceHeaders.ADMIN_TOKEN, ADMIN));
        assertEquals(200, inItsHeader.statusCode());
        assertTrue("no credential reaches the function: " + retryCall.get().headers().keySet(),
                retryCall.get().headers().keySet().stream().noneMatch(k -> k.toLowerCase().contains("token")
                        || k.toLowerCase().endsWith("authorization")));
    }

    @Test
    public void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> r = send(post("/nope", "{}"));
        assertEquals(404, r.statusCode());
        assertTrue(r.body(), r.body().contains("\"code\":\"NotFound\""));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(null));
        HttpResponse<String> m = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/stream/sync")).GET());
        assertEquals(405, m.statusCode());
        assertEquals("POST", m.headers().firstValue("Allow").orElse(null));
    }

    @Test
    public void oversizedBodyIs413AndNeverReachesTheFunction() throws Exception {
        HttpResponse<String> r = send(post("/stream/retry", "x".repeat(1025)).header("Authorization",
                "Bearer " + ADMIN));
        assertEquals(413, r.statusCode());
        assertTrue(r.body(), r.body().contains("\"code\":\"PayloadTooLarge\""));
        assertNull(retryCall.get());
    }

    @Test
    public void functionFailureAndTimeoutBecomeGatewayErrors() throws Exception {
        retryAnswer.set(new FunctionResponse(502, Map.of(), null, new byte[0]));
        HttpResponse<String> failed = send(post("/stream/retry", "{}").header("Authorization", "Bearer " + ADMIN));
        assertEquals(502, failed.statusCode());
        assertTrue(failed.body(), failed.body().contains("BadGateway"));
        retryAnswer.set(new FunctionResponse(504, Map.of(), "application/json", "{}".getBytes()));
        HttpResponse<String> late = send(post("/stream/retry", "{}").header("Authorization", "Bearer " + ADMIN));
        assertEquals(504, late.statusCode());
    }

    @Test
    public void headOnARouteIs405WithoutAWordInTheLog() throws Exception {
        java.util.logging.Logger jdkServer = java.util.logging.Logger.getLogger("com.sun.net.httpserver");
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        jdkServer.addHandler(capture);
        try {
            for (String path : List.of("/stream/sync", "/stream/retry", "/nope")) {
                HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
                assertEquals(path.equals("/nope") ? 404 : 405, head.statusCode());
                assertEquals("", head.body());
            }
            assertEquals("POST", send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/stream/sync"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())).headers().firstValue("Allow").orElse(null));
            assertTrue("the JDK server logged (plain text, not JSON lines): " + records.stream()
                    .map(java.util.logging.LogRecord::getMessage).toList(), records.stream()
                    .noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()));
        } finally {
            jdkServer.removeHandler(capture);
        }
    }

    @Test
    public void healthIs200OnlyWhenReady() throws Exception {
        ready.set(false);
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health")).GET();
        assertEquals(503, send(get).statusCode());
        ready.set(true);
        HttpResponse<String> r = send(get);
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"ready\"}", r.body());
    }

    @Test
    public void healthAnswersOnlyGetAndHead() throws Exception {
        ready.set(true);
        HttpResponse<String> post = send(post("/health", "{}"));
        assertEquals(405, post.statusCode());
        assertTrue(post.body(), post.body().contains("\"code\":\"MethodNotAllowed\""));
        assertEquals("application/json", post.headers().firstValue("Content-Type").orElse(null));
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
        HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health"))
                .DELETE());
        assertEquals(405, delete.statusCode());
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }
}
