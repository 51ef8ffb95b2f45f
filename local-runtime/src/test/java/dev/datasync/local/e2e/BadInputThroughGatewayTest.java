package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.StackUnderTest;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Input that used to be accepted and then could not be delivered, or arrived altered, is refused at
 * {@code /stream/sync} through the whole local stack (gateway, populate, local-oci) with a 400 naming the field:
 * nothing is written to DataSyncStream, no secret is created and no target is called. Also the permanent errors that
 * were answered as temporary (503): a replay of a partition that does not exist.
 */
public class BadInputThroughGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @ClassRule
    public static final StackUnderTest STACK = new StackUnderTest();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static String target;

    @BeforeClass
    public static void start() {
        running = STACK.running();
        stack = STACK.stack();
        probe = STACK.probe();
        target = running.target().baseUrl() + "/orders/bad-input";
    }

    private static HttpResponse<String> syncBytes(byte[] body, String contentType) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/stream/sync"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + stack.sourceToken().orElseThrow())
                .header("Authorization", "Bearer target-token")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> sync(String body) throws Exception {
        return syncBytes(body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static String message(String key, String fields) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"vaultSecretName\":\"bad-input-secret\","
                + "\"targetRestApiPayload\":{\"orderid\":\"" + key + "\"}," + fields + "}}";
    }

    private static void assertBadRequest(HttpResponse<String> r, String field) throws Exception {
        assertEquals(r.body(), 400, r.statusCode());
        JsonNode n = JSON.readTree(r.body());
        assertTrue(r.body(), n.hasNonNull("code") && n.hasNonNull("message"));
        if (field != null) {
            assertEquals(r.body(), field, n.path("field").asText(null));
        }
    }


    @Test
    public void headerValuesOutsideUsAsciiAreRefusedNamingTheField() throws Exception {
        StackUnderTest.Written before = STACK.written();
        assertBadRequest(sync(message("latin1", "\"targetRestApi\":\"" + target + "\","
                        + "\"targetRestApiOperation\":\"POST\","
                        + "\"targetRestApiHeaders\":[{\"key\":\"X-Name\",\"value\":\"caf\u00e9\"}]")),
                "streamMessage.targetRestApiHeaders[0].value");
        Thread.sleep(1_000); // a message wrongly accepted would be written and delivered by now
        assertEquals(before, STACK.written());
    }

    @Test
    public void undeliverableOrAlteredInputIsRefusedAtSync() throws Exception {
        StackUnderTest.Written before = STACK.written();
        String ok = "\"targetRestApiOperation\":\"POST\",\"targetRestApiHeaders\":[]";
        // a port outside 1-65535 would fail on every replay
        assertBadRequest(sync(message("port", "\"targetRestApi\":\"http://127.0.0.1:70000/x\"," + ok)),
                "streamMessage.targetRestApi");
        // methods match case-sensitively: "post" is not POST
        assertBadRequest(sync(message("method", "\"targetRestApi\":\"" + target + "\","
                + "\"targetRestApiOperation\":\"post\",\"targetRestApiHeaders\":[]")),
                "streamMessage.targetRestApiOperation");
        // overlong UTF-8 (0xC0 0xAF would silently become '/') and UTF-16 bodies are not strict UTF-8 JSON
        byte[] valid = message("utf8", "\"targetRestApi\":\"" + target + "\"," + ok).getBytes(StandardCharsets.UTF_8);
        String text = new String(valid, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("utf8") + 2;
        byte[] overlong = new byte[valid.length + 2];
        System.arraycopy(valid, 0, overlong, 0, at);
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        System.arraycopy(valid, at, overlong, at + 2, valid.length - at);
        assertBadRequest(syncBytes(overlong, "application/json"), null);
        assertBadRequest(syncBytes(message("utf16", "\"targetRestApi\":\"" + target + "\"," + ok)
                .getBytes(StandardCharsets.UTF_16), "application/json"), null);
        Thread.sleep(1_000);
        assertEquals(before, STACK.written());
    }

    @Test
    public void aReplayOfAPartitionThatDoesNotExistIsABadRequestNotUnavailable() throws Exception {
        JsonNode resources = JSON.readTree(stack.dataDir().resolve("oci/resources.json").toFile());
        String stream = resources.path("streams").path("ServiceUnavailableErrorStream").asText();
        assertTrue(resources.toString(), !stream.isEmpty());
        String body = "{\"streamOCIDToRetry\":\"" + stream + "\",\"noOfMessagesToProcess\":10,"
                + "\"readAfterOffset\":-1,\"readPartition\":\"7\",\"errormapping\":[]}";
        HttpRequest r = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/stream/retry"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header(SourceHeaders.ADMIN_TOKEN, stack.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertBadRequest(HTTP.send(r, HttpResponse.BodyHandlers.ofString()), "readPartition");
    }
}
