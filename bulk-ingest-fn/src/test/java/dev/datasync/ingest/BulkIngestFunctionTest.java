package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.IngestUploads;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.SourceObjects;
import dev.datasync.shared.testing.SyncLines;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** BulkIngestFunction through the FDK (FnTestingRule): an Object Storage event in, what it did out. */
public class BulkIngestFunctionTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.against(ENV.pipeline());

    private static IngestUploads uploads;

    @BeforeClass
    public static void register() {
        SourceObjects.put(ENV.pipeline().oci(), "orders-app", SourceObjects.policy("orders-app", List.of(), null));
        uploads = IngestUploads.of(ENV.pipeline().oci());
    }

    @AfterClass
    public static void close() {
        uploads.close();
    }

    @Test
    public void anUploadEventIsIngestedAndTheAnswerSaysHow() throws Exception {
        String name = "incoming/orders-app/" + UUID.randomUUID() + ".jsonl";
        uploads.upload(name, SyncLines.file(List.of(SyncLines.valid("k", "http://127.0.0.1:9/x", 1), "not json",
                SyncLines.valid("k", "http://127.0.0.1:9/x", 3))));
        fn.givenEvent().withHeader("Content-Type", "application/json")
                .withBody(Json.toText(uploads.eventFor(name))).enqueue();
        fn.thenRun(BulkIngestFunction.class, "handleRequest");

        FnResult result = fn.getOnlyResult();
        assertEquals(OutputEvent.Status.Success, result.getStatus());
        JsonNode answer = Json.parse(result.getBodyAsBytes());
        assertEquals("done", answer.path("outcome").asText());
        assertEquals(2, answer.path("written").asInt());
        assertEquals(1, answer.path("refused").asInt());
        assertTrue(uploads.read("results/" + name.substring("incoming/".length()) + ".jsonl").isPresent());
    }

    @Test
    public void anEventOfAnotherKindIsAnsweredIgnored() throws Exception {
        fn.givenEvent().withBody("{\"eventType\":\"com.oraclecloud.computeapi.launchinstance.end\"}").enqueue();
        fn.thenRun(BulkIngestFunction.class, "handleRequest");
        assertEquals("ignored", Json.parse(fn.getOnlyResult().getBodyAsBytes()).path("outcome").asText());
    }
}
