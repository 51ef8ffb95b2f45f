package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.populate.PopulateDataStreamFunction;
import dev.datasync.read.ReadDataStreamFunction;
import dev.datasync.retry.RetryFunction;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Issue 10, the payload arrives exactly as sent: the three functions through the FDK (FnTestingRule), the real SDK
 * against local-oci, a real local target. A sync request goes to DataSyncStream (populate), the stored messages are
 * handed to ReadDataStream as Service Connector Hub hands them over, the target compares the bytes it got with the
 * bytes the caller sent; a delivery that fails goes to its error stream and a {@code /stream/retry} replay delivers
 * the same bytes. The failing message also carries every field the pipeline owns, with a {@code deliveryAttempts} of
 * 2^63-1: the envelope counts the calls made.
 */
public class ExactPayloadThroughFunctionsTest {

    /** What Jackson's tree rewrites: big and tiny numbers, -0, exponents, escapes, key order. */
    static final String PAYLOAD = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\\n\",\"z\":1,"
            + "\"y\":[1.0,2E+3]}";
    /** The same at the bottom of 150 levels of objects and arrays, with whitespace. */
    static final String DEEP = deep(150);

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule populate = FnTestingRules.against(ENV.pipeline());
    @Rule
    public final FnTestingRule read = FnTestingRules.against(ENV.pipeline());
    @Rule
    public final FnTestingRule retry = FnTestingRules.against(ENV.pipeline());

    private static String deep(int levels) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            open.append(i % 2 == 0 ? "{ \"n" + i + "\" : " : "[ 1.10 , ");
            close.insert(0, i % 2 == 0 ? " }" : " ]");
        }
        return open + PAYLOAD + close;
    }

    private static LocalPipeline env() {
        return ENV.pipeline();
    }

    private static String item(String path, String payload, String more) {
        return "{\"streamKey\":\"exact\",\"streamMessage\":{\"targetRestApi\":\"" + env().target().baseUrl() + path
                + "\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":" + payload
                + ",\"targetRestApiHeaders\":[{\"key\":\"Content-Type\",\"value\":\"application/json\"}]" + more
                + "}}";
    }

    /** Service Connector Hub's batch of these DataSyncStream messages. */
    private static String schBatch(List<Message> messages) {
        ArrayNode batch = Json.mapper().createArrayNode();
        for (Message m : messages) {
            ObjectNode e = batch.addObject();
            e.put("stream", LocalPipeline.DATA);
            e.put("partition", m.getPartition());
            e.put("key", m.getKey() == null ? null : Base64.getEncoder().encodeToString(m.getKey()));
            e.put("value", Base64.getEncoder().encodeToString(m.getValue()));
            e.put("offset", m.getOffset());
            e.put("timestamp", m.getTimestamp().toInstant().toString());
        }
        return Json.toText(batch);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void thePayloadReachesTheTargetByteForByteAndAgainAfterAnErrorStreamAndAReplay() throws Exception {
        String now = "/exact-now-" + System.nanoTime();
        String deep = "/exact-deep-" + System.nanoTime();
        String later = "/exact-later-" + System.nanoTime();
        env().target().byDefault(later, Reply.status(500));
        StringBuilder owned = new StringBuilder();
        for (String field : dev.datasync.shared.contract.PipelineFields.ALL) {
            owned.append(",\"").append(field).append("\":").append(field.equals("sourceId") ? "\"billing\""
                    : String.valueOf(Long.MAX_VALUE));
        }
        String body = "[" + item(now, PAYLOAD, "") + "," + item(deep, DEEP, "") + "," + item(later, PAYLOAD, owned
                .toString()) + "]";

        FnTestingRules.enqueue(populate, FnHttpGateway.request("POST", "/stream/sync", Map.of(
                "Content-Type", "application/json", SourceHeaders.SOURCE_ID, "orders-app")), body);
        populate.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        FnResult accepted = populate.getOnlyResult();
        assertEquals(accepted.getBodyAsString(), 202, FnHttpGateway.status(accepted));
        List<Message> stored = new ArrayList<>();
        for (JsonNode a : Json.parse(accepted.getBodyAsBytes())) {
            stored.add(env().readAll(LocalPipeline.DATA, a.get("partition").asText()).stream()
                    .filter(m -> m.getOffset() == a.get("offset").asLong()).findFirst().orElseThrow());
        }
        String storedDeep = new String(stored.get(1).getValue(), StandardCharsets.UTF_8);
        assertTrue(storedDeep, storedDeep.contains("\"targetRestApiPayload\":" + DEEP + ","));

        int routedBefore = env().readAll(LocalPipeline.INTERNAL_SERVER).size();
        read.givenEvent().withBody(schBatch(stored)).enqueue();
        read.thenRun(ReadDataStreamFunction.class, "handleRequest");
        assertEquals("{\"messages\":3,\"delivered\":2,\"routed\":1}", read.getOnlyResult().getBodyAsString());
        assertArrayEquals(utf8(PAYLOAD), only(now).body());
        assertArrayEquals(utf8(DEEP), only(deep).body());
        assertArrayEquals(utf8(PAYLOAD), only(later).body());

        List<Message> routed = env().readAll(LocalPipeline.INTERNAL_SERVER);
        assertEquals(routedBefore + 1, routed.size());
        JsonNode envelope = Json.parse(routed.get(routedBefore).getValue());
        assertEquals("the calls made, not the caller's 2^63-1", 1, envelope.get("deliveryAttempts").asLong());
        assertEquals("orders-app", envelope.get("sourceId").asText());
        assertEquals(stored.get(2).getOffset().longValue(), envelope.get("source").get("offset").asLong());

        env().target().byDefault(later, Reply.status(200));
        FnTestingRules.enqueue(retry, FnHttpGateway.request("POST", "/stream/retry",
                Map.of("Content-Type", "application/json")), """
                {"streamOCIDToRetry":"%s","noOfMessagesToProcess":1,"readAfterOffset":%d,"readPartition":"0",\
                "errormapping":[]}""".formatted(env().stream(LocalPipeline.INTERNAL_SERVER),
                routed.get(routedBefore).getOffset() - 1));
        retry.thenRun(RetryFunction.class, "handleRequest");
        FnResult replayed = retry.getOnlyResult();
        assertEquals(replayed.getBodyAsString(), 1,
                Json.parse(replayed.getBodyAsBytes()).get("processedmessages").asInt());
        List<ScriptedTarget.Received> calls = env().target().received(later);
        assertEquals(2, calls.size());
        assertArrayEquals("the replay sends the bytes the caller sent", utf8(PAYLOAD), calls.get(1).body());
    }

    private static ScriptedTarget.Received only(String path) {
        List<ScriptedTarget.Received> calls = env().target().received(path);
        assertEquals(path, 1, calls.size());
        return calls.get(0);
    }
}
