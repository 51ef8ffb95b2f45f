package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.StackUnderTest;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.testing.IngestUploads;
import dev.datasync.shared.testing.SyncLines;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Bulk ingest through the whole local stack: a file uploaded to local-oci's ingest bucket, whose object event goes
 * through the stack's Events rule to the bulk-ingest-fn jar in the FDK runtime; the lines it writes to
 * DataSyncStream are delivered by read-data-stream-fn to a real local target.
 */
public class BulkIngestEndToEndTest {

    @ClassRule
    public static final StackUnderTest STACK = new StackUnderTest();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static IngestUploads uploads;

    @BeforeClass
    public static void watch() {
        uploads = IngestUploads.of(STACK.stack().oci());
    }

    @AfterClass
    public static void stop() {
        uploads.close();
    }

    private static SampleTarget target() {
        return STACK.running().target();
    }

    private static void await(String what, Duration limit, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static List<JsonNode> lines(byte[] object) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(object, StandardCharsets.UTF_8).split("\n")) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    public void aThousandLineUploadIsDeliveredListedMovedAndNeverWrittenTwice() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String path = "/orders/bulk-" + run + "/";
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 1000; n++) {
            lines.add(SyncLines.valid("customer-" + (n % 17), target().baseUrl() + path + n, n));
        }
        Map<Integer, String> invalid = Map.of(
                100, "{\"streamKey\":\"x\",",
                200, SyncLines.valid("k", "ftp://127.0.0.1/x", 200),
                300, SyncLines.valid("k", target().baseUrl() + path + 300, 300)
                        .replace("\"key\":\"Content-Type\"", "\"key\":\"Authorization\""),
                400, SyncLines.withSecret("k", target().baseUrl() + path + 400, 400, "never-stored"),
                500, SyncLines.valid("k", "https://elsewhere.example.com/x", 500));
        invalid.forEach((n, line) -> lines.set(n - 1, line));
        String rest = "local/bulk-" + run + ".jsonl";
        long messagesBefore = STACK.probe().dataStreamMessages();

        uploads.upload("incoming/" + rest, SyncLines.file(lines));

        await("the result object", Duration.ofMinutes(3), () -> uploads.read("results/" + rest + ".jsonl")
                .isPresent());
        List<JsonNode> results = lines(uploads.read("results/" + rest + ".jsonl").orElseThrow());
        assertEquals("every line and the summary", 1001, results.size());
        Map<String, Integer> lineOfSyncId = new HashMap<>();
        for (int n = 1; n <= 1000; n++) {
            JsonNode r = results.get(n - 1);
            assertEquals(n, r.path("line").asInt());
            if (invalid.containsKey(n)) {
                assertTrue("line " + n + " refused: " + r, r.has("error"));
            } else {
                lineOfSyncId.put(r.path("syncId").asText(), n);
            }
        }
        assertEquals(ErrorCodes.CREDENTIAL_NOT_ALLOWED, results.get(299).path("error").path("code").asText());
        assertEquals(ErrorCodes.UNKNOWN_SECRET_NAME, results.get(399).path("error").path("code").asText());
        assertEquals(ErrorCodes.TARGET_NOT_ALLOWED, results.get(499).path("error").path("code").asText());
        assertEquals(995, lineOfSyncId.size());
        // the result object is written first, then the file moved (a crash between them writes the result again)
        await("the input in processed/", Duration.ofMinutes(1), () -> uploads.read("processed/" + rest).isPresent());
        assertFalse(uploads.read("incoming/" + rest).isPresent());

        await("every valid line delivered", Duration.ofMinutes(3), () -> delivered(path).size() >= 995);
        List<SampleTarget.Received> got = delivered(path);
        Set<String> keys = new HashSet<>();
        for (SampleTarget.Received r : got) {
            Integer n = lineOfSyncId.get(r.idempotencyKey());
            assertTrue("delivered with the syncId of its line: " + r.path(), n != null);
            assertEquals(path + n, r.path());
            keys.add(r.idempotencyKey());
        }
        assertEquals("each valid line delivered, once", 995, keys.size());
        assertEquals(995, got.size());
        assertEquals(messagesBefore + 995, STACK.probe().dataStreamMessages());

        // OCI Events may deliver an event twice: the same event again writes nothing
        JsonNode created = uploads.eventFor("incoming/" + rest);
        STACK.stack().oci().events().publish(created);
        Thread.sleep(500);
        await("the re-sent event handled", Duration.ofMinutes(1), () -> STACK.stack().events().inFlight() == 0);
        assertEquals(messagesBefore + 995, STACK.probe().dataStreamMessages());
        Thread.sleep(1000);
        assertEquals(995, delivered(path).size());
    }

    @Test
    public void theCliUploadsAFileAndWaitsForItsResult() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path file = Files.createTempFile("bulk-" + run, ".jsonl");
        Files.write(file, SyncLines.file(List.of(SyncLines.valid("k", target().baseUrl() + "/orders/cli-" + run, 1),
                "not json", SyncLines.valid("k", target().baseUrl() + "/orders/cli-" + run, 3))));
        JsonNode out = JSON.readTree(STACK.probe().cli("ingest", file.toString(), "--as", "cli-" + run + ".jsonl",
                "--json"));
        assertEquals("results/local/cli-" + run + ".jsonl.jsonl", out.path("results").asText());
        assertEquals(3, out.path("summary").path("lines").asInt());
        assertEquals(2, out.path("summary").path("written").asInt());
        assertEquals(1, out.path("refusedLines").size());
        assertEquals(2, out.path("refusedLines").get(0).path("line").asInt());
        Files.delete(file);
    }

    private static List<SampleTarget.Received> delivered(String path) {
        return target().received().stream().filter(r -> r.path().startsWith(path)).toList();
    }
}
