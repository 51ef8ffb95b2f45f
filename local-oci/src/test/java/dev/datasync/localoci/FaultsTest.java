package dev.datasync.localoci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.CreateStreamDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.CreateStreamRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import dev.datasync.localoci.fault.FaultRule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.datasync.localoci.EmulatorRule.noRetries;
import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Fault injection per operation: status, error rate, added latency, PutMessages entry failures. */
public class FaultsTest extends LocalOciTestBase {
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();
    private static StreamClient client;
    private static String streamId;

    @BeforeClass
    public static void client() {
        client = StreamClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        streamId = oci.resources().streams().get("DefaultErrorStream");
    }

    @AfterClass
    public static void close() {
        client.close();
    }

    private static PutMessagesResult put(int n) {
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(PutMessagesDetailsEntry.builder().value(("m" + i).getBytes(StandardCharsets.UTF_8)).build());
        }
        return client.putMessages(PutMessagesRequest.builder().streamId(streamId)
                .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build()).build())
                .getPutMessagesResult();
    }

    private static String latest() {
        return client.createCursor(CreateCursorRequest.builder().streamId(streamId).createCursorDetails(
                CreateCursorDetails.builder().partition("0").type(CreateCursorDetails.Type.Latest).build()).build())
                .getCursor().getValue();
    }

    @Test
    public void injectedStatusesUseOciCodesAndOnlyHitTheirOperation() {
        String cursor = latest();
        oci.faults().set("PutMessages", FaultRule.failing(1.0, 503));
        expect(503, "ServiceUnavailable", () -> put(1));
        oci.faults().set("PutMessages", FaultRule.failing(1.0, 429));
        expect(429, "TooManyRequests", () -> put(1));
        oci.faults().set("PutMessages", FaultRule.failing(1.0, 500));
        expect(500, "InternalServerError", () -> put(1));
        // other operations are unaffected
        client.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor).build());
        oci.faults().clear();
        assertEquals(0, (int) put(1).getFailures());
        // and a failed PutMessages wrote nothing
        assertEquals(1, client.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor).build())
                .getItems().size());
    }

    @Test
    public void errorRateIsAProbability() {
        oci.faults().set("CreateCursor", FaultRule.failing(0.5, 500));
        int failed = 0;
        for (int i = 0; i < 200; i++) {
            try {
                latest();
            } catch (BmcException e) {
                assertEquals(500, e.getStatusCode());
                failed++;
            }
        }
        assertTrue("about half should fail: " + failed, failed > 60 && failed < 140);
    }

    @Test
    public void wildcardRuleAppliesToOperationsWithoutTheirOwn() {
        oci.faults().set("*", FaultRule.failing(1.0, 503));
        oci.faults().set("CreateCursor", FaultRule.latency(0));
        latest();
        expect(503, "ServiceUnavailable", () -> put(1));
    }

    @Test
    public void addedLatency() {
        oci.faults().set("CreateCursor", FaultRule.latency(300));
        long start = System.nanoTime();
        latest();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue("latency was " + elapsedMs + " ms", elapsedMs >= 300);
    }

    @Test
    public void entryFailuresInsideA200() {
        oci.faults().set("PutMessages", new FaultRule(null, null, null, 1.0));
        PutMessagesResult all = put(3);
        assertEquals(3, (int) all.getFailures());
        all.getEntries().forEach(e -> {
            assertEquals("InternalServerError", e.getError());
            assertNull(e.getOffset());
        });
        oci.faults().set("PutMessages", new FaultRule(null, null, null, 0.5));
        PutMessagesResult some = put(100);
        long failed = some.getEntries().stream().filter(e -> e.getError() != null).count();
        assertEquals(failed, (long) some.getFailures());
        assertTrue("about half should fail: " + failed, failed > 20 && failed < 80);
        // the stored ones got contiguous offsets
        long previous = -1;
        for (var e : some.getEntries()) {
            if (e.getError() == null) {
                if (previous >= 0) {
                    assertEquals(previous + 1, (long) e.getOffset());
                }
                previous = e.getOffset();
            }
        }
    }

    @Test
    public void adminEndpointChangesFaultsAtRunTime() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(EmulatorRule.admin(oci, "faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"PutMessages\":{\"errorRate\":1,\"status\":503}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        expect(503, "ServiceUnavailable", () -> put(1));
        http.send(EmulatorRule.admin(oci, "faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(0, (int) put(1).getFailures());
    }

    @Test
    public void faultsFromConfigAtStart() throws Exception {
        try (LocalOci faulty = EmulatorRule.start(folder.getRoot().toPath(),
                b -> b.faults(Map.of("CreateStream", FaultRule.failing(1.0, 429))));
             StreamAdminClient admin = StreamAdminClient.builder().endpoint(faulty.baseUrl())
                     .configuration(noRetries()).build(EmulatorRule.provider(faulty))) {
            expect(429, "TooManyRequests", () -> admin.createStream(CreateStreamRequest.builder()
                    .createStreamDetails(CreateStreamDetails.builder().name("x").partitions(1)
                            .compartmentId(faulty.resources().tenancy()).build()).build()));
        }
    }
}
