package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackUnderTest;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.ClassRule;
import org.junit.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Issue 10, the payload arrives exactly as sent, through the whole local stack: the gateway, populate, local-oci,
 * the connector and ReadDataStream deliver the bytes the caller sent to the sample target; one that fails goes to
 * its error stream (and its archive) with the same text, and a {@code /stream/retry} through the gateway delivers
 * the same bytes once the target heals.
 */
public class ExactPayloadThroughGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What Jackson's tree rewrites: big and tiny numbers, -0, exponents, escapes, key order; and plain UTF-8. */
    private static final String PAYLOAD = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\\n\","
            + "\"z\":1,\"y\":[1.0,2E+3],\"e\":\"caf\u00e9 \ud83d\ude00\"}";
    private static final String DEEP = "[ ".repeat(150) + PAYLOAD + " ]".repeat(150);

    @ClassRule
    public static final StackUnderTest STACK = new StackUnderTest(
            Map.of("DATASYNC_ARCHIVE_ROLLOVER_TIME_IN_MS", "300"));

    private static HttpResponse<String> post(String route, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(STACK.stack().gatewayUrl() + route))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String item(String key, String target, String payload) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"targetRestApi\":\"" + target + "\","
                + "\"targetRestApiOperation\":\"PUT\",\"targetRestApiPayload\":" + payload + "}}";
    }

    private static List<SampleTarget.Received> callsOn(String path) {
        return STACK.running().target().received().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The calls the target got on {@code path} once one matching {@code until} is among them (60 s at most). */
    private static List<SampleTarget.Received> callsOn(String path, Predicate<SampleTarget.Received> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (callsOn(path).stream().noneMatch(until) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return callsOn(path);
    }

    /** Every line of the error archive, once one holds {@code expected} (30 s at most). */
    private static String archivedLines(String namespace, String expected) throws Exception {
        ObjectStorage storage = STACK.stack().clients().objectStorage();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        StringBuilder lines = new StringBuilder();
        while (!lines.toString().contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            lines.setLength(0);
            for (ObjectSummary o : storage.listObjects(ListObjectsRequest.builder().namespaceName(namespace)
                    .bucketName("datasync-error-archive").prefix("error-archive/").build()).getListObjects()
                    .getObjects()) {
                try (InputStream in = storage.getObject(GetObjectRequest.builder().namespaceName(namespace)
                        .bucketName("datasync-error-archive").objectName(o.getName()).build()).getInputStream()) {
                    lines.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return lines.toString();
    }

    private static void assertExact(String expected, SampleTarget.Received call) {
        assertArrayEquals(call.body(), expected.getBytes(StandardCharsets.UTF_8),
                call.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void theTargetGetsTheBytesTheCallerSentFirstTimeAndFromAReplay() throws Exception {
        RunningStack running = STACK.running();
        PipelineStack stack = STACK.stack();
        String base = running.target().baseUrl();
        String flat = "/orders/exact-flat";
        String deep = "/orders/exact-deep";
        String failing = "/orders/status/500"; // answers 500 until the target heals
        HttpResponse<String> accepted = post("/stream/sync", "[" + item("exact-1", base + flat, PAYLOAD) + ","
                        + item("exact-2", base + deep, DEEP) + "," + item("exact-3", base + failing, PAYLOAD) + "]",
                SourceHeaders.SOURCE_TOKEN, "Bearer " + stack.sourceToken().orElseThrow());
        assertEquals(accepted.body(), 202, accepted.statusCode());

        assertExact(PAYLOAD, callsOn(flat, SampleTarget.Received::succeeded).get(0));
        assertExact(DEEP, callsOn(deep, SampleTarget.Received::succeeded).get(0));
        List<SampleTarget.Received> failed = callsOn(failing, r -> r.answered() == 500);
        assertFalse("the failing target was called", failed.isEmpty());
        failed.forEach(call -> assertExact(PAYLOAD, call));

        JsonNode resources = JSON.readTree(stack.dataDir().resolve("oci/resources.json").toFile());
        String archived = archivedLines(resources.get("namespace").asText(), "\"targetRestApiPayload\":" + PAYLOAD);
        assertTrue("the archived envelope holds the payload as sent: " + archived,
                archived.contains("\"targetRestApiPayload\":" + PAYLOAD + ","));
        String errorStream = resources.path("streams").path("InternalServerErrorStream").asText();
        running.target().heal();
        // the routed envelope may still be on its way to the error stream: replay until the target got it
        List<SampleTarget.Received> calls = List.of();
        for (int attempt = 0; attempt < 30 && calls.stream().noneMatch(SampleTarget.Received::succeeded); attempt++) {
            HttpResponse<String> replay = post("/stream/retry", "{\"streamOCIDToRetry\":\"" + errorStream + "\","
                            + "\"noOfMessagesToProcess\":10,\"readAfterOffset\":-1,\"readPartition\":\"0\","
                            + "\"errormapping\":[]}", SourceHeaders.ADMIN_TOKEN, stack.adminToken());
            assertEquals(replay.body(), 200, replay.statusCode());
            calls = callsOn(failing).stream().filter(SampleTarget.Received::succeeded).toList();
            if (calls.isEmpty()) {
                Thread.sleep(500);
            }
        }
        assertFalse("the replay reached the healed target", calls.isEmpty());
        calls.forEach(call -> assertExact(PAYLOAD, call));
    }
}
