package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.Tricklers;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.localoci.auth.AdminSecret;
import dev.datasync.localoci.http.HttpServerLimits;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The hostile finding "slow clients": connections that trickle a request one byte a second. 64 of them against the
 * gateway and 64 against local-oci (four times its work permits) must not keep {@code /health}, local-oci or an
 * honest sync request from being answered; and the gateway's {@code /health} says so when local-oci stops answering.
 * (That such a connection is cut off after the request time limit is StateFileModesTest's, in a process of its own
 * with a short limit.)
 */
public class SlowClientsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static String ociSecret;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of(), settings -> settings);
        stack = running.stack();
        probe = new StackProbe(stack);
        ociSecret = Files.readString(stack.dataDir().resolve("oci").resolve(AdminSecret.FILE_NAME)).trim();
    }

    @AfterClass
    public static void stop() {
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    /** Answers within {@code millis}, or fails. */
    private static HttpResponse<String> within(long millis, Callable call) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = call.call();
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertTrue("answered in " + took + " ms", took < millis);
        return r;
    }

    private interface Callable {
        HttpResponse<String> call() throws Exception;
    }

    private HttpResponse<String> health() throws Exception {
        return probe.get(stack.gatewayUrl() + "/health");
    }

    @Test
    public void trickledRequestsDoNotStopHealthLocalOciOrAnHonestRequest() throws Exception {
        try (Tricklers gatewayHeaders = Tricklers.headers(port(stack.gatewayUrl()), 64);
             Tricklers gatewayBodies = Tricklers.body(port(stack.gatewayUrl()), 16, "/stream/sync");
             Tricklers ociHeaders = Tricklers.headers(port(stack.ociUrl()), 64)) {
            Thread.sleep(1_500); // a couple of trickled bytes each: every connection holds its thread now
            HttpResponse<String> h = within(3_000, this::health);
            assertEquals(h.body(), 200, h.statusCode());
            assertEquals("{\"status\":\"ready\"}", h.body());
            HttpResponse<String> oci = within(3_000, () -> probe.get(stack.ociUrl() + "/_admin/health",
                    AdminSecret.HEADER, ociSecret));
            assertEquals(200, oci.statusCode());
            assertTrue("a signed SDK call answers", probe.dataStreamMessages() >= 0);
            HttpResponse<String> sync = within(15_000, () -> probe.syncAs(stack.sourceToken().orElseThrow(),
                    StackProbe.body("honest", "honest-secret", running.target().baseUrl() + "/orders/honest"),
                    "honest-token"));
            assertEquals(sync.body(), 202, sync.statusCode());
            assertEquals("the slow ones are still connected, still trickling", 64 + 16 + 64,
                    gatewayHeaders.open() + gatewayBodies.open() + ociHeaders.open());
        }
    }

    @Test
    public void healthTurns503WhileLocalOciDoesNotAnswerAndBackTo200() throws Exception {
        assertEquals(200, health().statusCode());
        // more trickled requests than local-oci reads at once: it closes every new one, the gateway's probe's too
        try (Tricklers flood = Tricklers.headers(port(stack.ociUrl()), HttpServerLimits.MAX_OPEN_REQUESTS + 8)) {
            long until = System.currentTimeMillis() + 10_000;
            HttpResponse<String> h = health();
            while (h.statusCode() == 200 && System.currentTimeMillis() < until) {
                Thread.sleep(200);
                h = health();
            }
            assertEquals(h.body(), 503, h.statusCode());
            assertEquals("local-oci-unavailable", JSON.readTree(h.body()).get("status").asText());
        }
        long until = System.currentTimeMillis() + 10_000;
        HttpResponse<String> h = health();
        while (h.statusCode() != 200 && System.currentTimeMillis() < until) {
            Thread.sleep(200);
            h = health();
        }
        assertEquals(h.body(), 200, h.statusCode());
    }

}
