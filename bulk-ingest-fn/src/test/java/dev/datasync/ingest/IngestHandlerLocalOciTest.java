package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.SyncLines;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.datasync.ingest.IngestFixture.OTHER_SOURCE;
import static dev.datasync.ingest.IngestFixture.SOURCE;
import static dev.datasync.ingest.IngestFixture.TARGET;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Bulk ingest of uploaded files through the handler, with the real SDK clients against local-oci: the events are the
 * ones local-oci emitted for the uploads, DataSyncStream and the bucket are read back through the SDK.
 */
public class IngestHandlerLocalOciTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    private static IngestFixture fx;

    @BeforeClass
    public static void start() {
        fx = new IngestFixture(ENV.pipeline(), c -> { });
    }

    @AfterClass
    public static void stop() {
        fx.close();
    }

    @After
    public void clearFaults() {
        ENV.pipeline().oci().faults().clear();
    }

    private static String file() {
        return UUID.randomUUID() + ".jsonl";
    }

    /** The messages of DataSyncStream by syncId. */
    private static Map<String, Message> bySyncId() {
        Map<String, Message> m = new HashMap<>();
        for (Message msg : fx.dataStream()) {
            m.put(IngestFixture.json(msg.getValue()).path("syncId").asText(), msg);
        }
        return m;
    }

    @Test
    public void everyValidLineIsWrittenInFileOrderAndEveryLineHasItsResult() {
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            lines.add(SyncLines.valid("k" + (n % 3), TARGET, n));
        }
        lines.set(4, "{\"streamKey\":\"k1\",\"streamMessage\":");                         // line 5: malformed
        lines.set(9, lines.get(9).replace("\"targetRestApi\":\"" + TARGET + "\",", "")); // line 10: no target
        lines.set(14, SyncLines.valid("k2", "https://not-allowed.example.com/x", 15));    // line 15: not allowed
        lines.set(19, "   ");                                                              // line 20: blank
        lines.set(24, lines.get(24).replace("\"streamMessage\":{", "\"streamMessage\":{\"token\":\"t\","));
        String rest = SOURCE + "/" + file();
        int before = fx.dataStream().size();

        IngestAnswer a = fx.ingest("incoming/" + rest, SyncLines.file(lines));

        assertEquals("done", a.outcome());
        assertEquals(Long.valueOf(35), a.written());
        assertEquals(Long.valueOf(4), a.refused());
        List<JsonNode> results = fx.results("results/" + rest + ".jsonl");
        assertEquals("a result per line and the summary", 41, results.size());
        Map<String, Message> stream = bySyncId();
        assertEquals(before + 35, fx.dataStream().size());
        Map<String, Long> lastOffsetOfPartition = new HashMap<>();
        for (int n = 1; n <= 40; n++) {
            JsonNode r = results.get(n - 1);
            assertEquals(n, r.path("line").asInt());
            switch (n) {
                case 5 -> assertEquals(ErrorCodes.MALFORMED_JSON, r.path("error").path("code").asText());
                case 10 -> assertEquals("streamMessage.targetRestApi", r.path("error").path("field").asText());
                case 15 -> assertEquals(ErrorCodes.TARGET_NOT_ALLOWED, r.path("error").path("code").asText());
                case 20 -> assertEquals("blank", r.path("skipped").asText());
                case 25 -> assertEquals(ErrorCodes.CREDENTIAL_NOT_ALLOWED, r.path("error").path("code").asText());
                default -> {
                    Message m = stream.get(r.path("syncId").asText());
                    assertTrue("line " + n + " is in DataSyncStream", m != null);
                    assertEquals(r.path("partition").asText(), m.getPartition());
                    assertEquals(r.path("offset").asLong(), m.getOffset().longValue());
                    JsonNode stored = IngestFixture.json(m.getValue());
                    assertEquals(n, stored.path("targetRestApiPayload").path("n").asInt());
                    assertEquals(SOURCE, stored.path("sourceId").asText());
                    assertEquals("k" + (n % 3), new String(m.getKey(), StandardCharsets.UTF_8));
                    // file order: within a partition, a later line has a later offset
                    Long last = lastOffsetOfPartition.put(m.getPartition(), m.getOffset());
                    assertTrue("line " + n + " after the lines before it", last == null || last < m.getOffset());
                }
            }
        }
        JsonNode summary = results.get(40).path("summary");
        assertEquals("incoming/" + rest, summary.path("object").asText());
        assertEquals(40, summary.path("lines").asInt());
        assertEquals(35, summary.path("written").asInt());
        assertEquals(4, summary.path("refused").asInt());
        assertEquals(1, summary.path("blank").asInt());
        assertEquals("processed/" + rest, summary.path("processedAs").asText());
        assertTrue(fx.uploads.read("processed/" + rest).isPresent());
        assertFalse(fx.uploads.read("incoming/" + rest).isPresent());

        // the same event again: the version is ingested, nothing is written twice
        IngestAnswer again = fx.deliver(fx.uploads.eventFor("incoming/" + rest));
        assertEquals("gone", again.outcome());
        assertEquals(before + 35, fx.dataStream().size());
    }

    @Test
    public void aTimeOutMidFileContinuesFromTheCheckpointWithNoLineLostOrDoubled() {
        int count = 12_000;
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            lines.add(SyncLines.valid("k" + (n % 7), TARGET, n));
        }
        String rest = SOURCE + "/" + file();
        int before = fx.dataStream().size();
        fx.uploads.upload("incoming/" + rest, SyncLines.file(lines));
        JsonNode event = fx.uploads.eventFor("incoming/" + rest);

        // every reading of the clock is a millisecond later: the run's deadline passes mid-file
        List<String> outcomes = new ArrayList<>();
        Clock clock = IngestFixture.ticking(Duration.ofMillis(1));
        IngestAnswer a = fx.handler(clock).answer(Json.toBytes(event), clock.instant().plus(Duration.ofSeconds(10)));
        outcomes.add(a.outcome());
        assertEquals("continued", a.outcome());
        assertTrue("stopped mid-file at line " + a.nextLine(), a.nextLine() > 1 && a.nextLine() < count);
        assertTrue("the marker of the continuation", fx.uploads.read("continue/" + rest).isPresent());
        while (!"done".equals(a.outcome()) && outcomes.size() < 10) {
            JsonNode marker = fx.uploads.eventFor("continue/" + rest);
            Clock next = IngestFixture.ticking(Duration.ofMillis(1));
            a = fx.handler(next).answer(Json.toBytes(marker), next.instant().plus(Duration.ofSeconds(10)));
            outcomes.add(a.outcome());
        }
        assertEquals("done", a.outcome());
        assertTrue("took several invocations: " + outcomes, outcomes.size() >= 2);

        List<JsonNode> results = fx.results("results/" + rest + ".jsonl");
        assertEquals(count + 1, results.size());
        Set<String> syncIds = new HashSet<>();
        for (int n = 1; n <= count; n++) {
            assertEquals("the results are in line order, each line once", n, results.get(n - 1).path("line").asInt());
            syncIds.add(results.get(n - 1).path("syncId").asText());
        }
        assertEquals(count, syncIds.size());
        List<Message> stream = fx.dataStream();
        assertEquals("each line written exactly once", before + count, stream.size());
        Map<String, Message> written = bySyncId();
        assertTrue(written.keySet().containsAll(syncIds));
        assertEquals(outcomes.size(), results.get(count).path("summary").path("invocations").asInt());
        assertFalse("the marker is gone", fx.uploads.read("continue/" + rest).isPresent());
    }

    @Test
    public void whenStreamingRefusesTheFileWaitsAtItsCheckpointAndResumes() {
        List<String> lines = new ArrayList<>();
        for (int n = 1; n <= 20; n++) {
            lines.add(SyncLines.valid("k", TARGET, n));
        }
        String rest = SOURCE + "/" + file();
        int before = fx.dataStream().size();
        ENV.pipeline().oci().faults().set("PutMessages", FaultRule.failing(1.0, 503));
        IngestAnswer a = fx.ingest("incoming/" + rest, SyncLines.file(lines));
        assertEquals("retryLater", a.outcome());
        assertEquals(Long.valueOf(1), a.nextLine());
        assertEquals(before, fx.dataStream().size());
        assertTrue("incoming/ keeps the file", fx.uploads.read("incoming/" + rest).isPresent());
        ENV.pipeline().oci().faults().clear();

        IngestAnswer resumed = fx.deliver(fx.uploads.eventFor("continue/" + rest));
        assertEquals("done", resumed.outcome());
        assertEquals(before + 20, fx.dataStream().size());
    }

    @Test
    public void badFilesGetAResultObjectSayingWhyAndNeverBlockTheNext() {
        int before = fx.dataStream().size();
        Map<String, byte[]> bad = Map.of(
                "empty", new byte[0],
                "blank-lines", "\n  \n\n".getBytes(StandardCharsets.UTF_8),
                "array", ("[\n  " + SyncLines.valid("k", TARGET, 1) + ",\n  " + SyncLines.valid("k", TARGET, 2)
                        + "\n]\n").getBytes(StandardCharsets.UTF_8),
                "binary", new byte[] {(byte) 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, '\n', 1, 2});
        Map<String, String> expected = Map.of("empty", ErrorCodes.EMPTY_FILE, "blank-lines", ErrorCodes.EMPTY_FILE,
                "array", ErrorCodes.NOT_JSON_LINES, "binary", ErrorCodes.NOT_JSON_LINES);
        for (Map.Entry<String, byte[]> f : bad.entrySet()) {
            String rest = SOURCE + "/" + f.getKey() + "-" + file();
            IngestAnswer a = fx.ingest("incoming/" + rest, f.getValue());
            assertEquals(f.getKey(), "refused", a.outcome());
            List<JsonNode> results = fx.results("results/" + rest + ".jsonl");
            assertEquals(f.getKey() + ": the summary alone", 1, results.size());
            assertEquals(f.getKey(), expected.get(f.getKey()),
                    results.get(0).path("summary").path("error").path("code").asText());
            assertTrue(fx.uploads.read("processed/" + rest).isPresent());
        }
        assertEquals("nothing of a refused file is written", before, fx.dataStream().size());

        String next = SOURCE + "/" + file();
        assertEquals("done", fx.ingest("incoming/" + next, SyncLines.file(List.of(SyncLines.valid("k", TARGET, 1))))
                .outcome());
        assertEquals(before + 1, fx.dataStream().size());
    }

    @Test
    public void aFileOverTheConfiguredSizeIsRefusedWhole() {
        try (IngestFixture small = new IngestFixture(ENV.pipeline(), c -> c.put("ingest_max_object_bytes", "100"))) {
            int before = small.dataStream().size();
            String rest = SOURCE + "/" + file();
            IngestAnswer a = small.ingest("incoming/" + rest, SyncLines.file(List.of(
                    SyncLines.valid("k", TARGET, 1), SyncLines.valid("k", TARGET, 2))));
            assertEquals("refused", a.outcome());
            assertEquals(ErrorCodes.TOO_LARGE, small.results("results/" + rest + ".jsonl").get(0).path("summary")
                    .path("error").path("code").asText());
            assertEquals(before, small.dataStream().size());
        }
    }

    @Test
    public void aLineCarryingACredentialIsRefusedAndTheOthersWritten() {
        String[] lines = {
                SyncLines.valid("k", TARGET, 1).replace("\"key\":\"Content-Type\"", "\"key\":\"Authorization\""),
                SyncLines.valid("k", TARGET, 2).replace("\"key\":\"Content-Type\"", "\"key\":\"X-Api-Key\""),
                SyncLines.valid("k", TARGET, 3).replace("\"orderid\":\"o-3\"", "\"orderid\":\"Bearer abc.def\""),
                SyncLines.valid("k", TARGET, 4).replace("{\"streamKey\"", "{\"authorization\":\"x\",\"streamKey\""),
                SyncLines.valid("k", TARGET, 5).replace("\"orderid\":\"o-5\"", "\"password\":\"p\""),
        };
        String rest = SOURCE + "/" + file();
        IngestAnswer a = fx.ingest("incoming/" + rest, SyncLines.file(List.of(lines)));
        assertEquals("done", a.outcome());
        List<JsonNode> results = fx.results("results/" + rest + ".jsonl");
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertEquals("line " + (i + 1), ErrorCodes.CREDENTIAL_NOT_ALLOWED,
                    results.get(i).path("error").path("code").asText());
            fields.add(results.get(i).path("error").path("field").asText());
        }
        assertEquals(List.of("streamMessage.targetRestApiHeaders[0].key", "streamMessage.targetRestApiHeaders[0].key",
                "streamMessage.targetRestApiPayload.orderid", "authorization"), fields);
        assertTrue("a payload field named password is the target's business", results.get(4).has("syncId"));
    }

    @Test
    public void theSourceIsThePrefixItsSecretsItsOwnAndNothingElse() {
        // orders-app stored a token under "orders-token" through /stream/sync; billing did not
        TokenVault vault = fx.stack().vault();
        assertEquals(TokenVault.StoreOutcome.CREATED, vault.store("src." + SOURCE + ".orders-token", "Bearer t"));

        String own = SOURCE + "/" + file();
        IngestAnswer a = fx.ingest("incoming/" + own, SyncLines.file(List.of(
                SyncLines.withSecret("k", TARGET, 1, "orders-token"),
                SyncLines.withSecret("k", TARGET, 2, "never-stored"))));
        assertEquals("done", a.outcome());
        List<JsonNode> ownResults = fx.results("results/" + own + ".jsonl");
        JsonNode stored = IngestFixture.json(bySyncId().get(ownResults.get(0).path("syncId").asText()).getValue());
        assertEquals("orders-token", stored.path("vaultSecretName").asText());
        assertEquals(ErrorCodes.UNKNOWN_SECRET_NAME, ownResults.get(1).path("error").path("code").asText());

        String other = OTHER_SOURCE + "/" + file();
        fx.ingest("incoming/" + other, SyncLines.file(List.of(
                SyncLines.withSecret("k", TARGET, 1, "orders-token"),
                SyncLines.valid("k", TARGET, 2).replace("\"streamMessage\":{",
                        "\"streamMessage\":{\"sourceId\":\"" + SOURCE + "\","))));
        List<JsonNode> otherResults = fx.results("results/" + other + ".jsonl");
        assertEquals("another source's secret is not billing's", ErrorCodes.UNKNOWN_SECRET_NAME,
                otherResults.get(0).path("error").path("code").asText());
        assertEquals("a line cannot name its source", OTHER_SOURCE, IngestFixture.json(bySyncId().get(
                otherResults.get(1).path("syncId").asText()).getValue()).path("sourceId").asText());

        String unregistered = "unregistered-app/" + file();
        IngestAnswer refused = fx.ingest("incoming/" + unregistered,
                SyncLines.file(List.of(SyncLines.valid("k", TARGET, 1))));
        assertEquals("refused", refused.outcome());
        assertEquals(ErrorCodes.UNKNOWN_SOURCE, fx.results("results/" + unregistered + ".jsonl").get(0)
                .path("summary").path("error").path("code").asText());
    }

    @Test
    public void eventsThatAreNotAnUploadToIngestAreIgnored() {
        String rest = SOURCE + "/" + file();
        fx.uploads.upload("incoming/" + rest, SyncLines.file(List.of(SyncLines.valid("k", TARGET, 1))));
        JsonNode event = fx.uploads.eventFor("incoming/" + rest);

        ObjectNode otherBucket = event.deepCopy();
        ((ObjectNode) otherBucket.path("data").path("additionalDetails")).put("bucketName", "datasync-state");
        assertEquals("ignored", fx.deliver(otherBucket).outcome());

        ObjectNode deletion = event.deepCopy();
        deletion.put("eventType", "com.oraclecloud.objectstorage.deleteobject");
        assertEquals("ignored", fx.deliver(deletion).outcome());

        fx.uploads.upload("results/" + rest, new byte[] {1});
        assertEquals("ignored", fx.deliver(fx.uploads.eventFor("results/" + rest)).outcome());
        fx.uploads.upload("incoming/Bad_Source/x.jsonl", new byte[] {1});
        assertEquals("ignored", fx.deliver(fx.uploads.eventFor("incoming/Bad_Source/x.jsonl")).outcome());

        // an event for a version that was replaced: the newer version's own event does the work
        fx.uploads.upload("incoming/" + rest, SyncLines.file(List.of(SyncLines.valid("k", TARGET, 2))));
        assertEquals("gone", fx.deliver(event).outcome());
        assertTrue(fx.uploads.read("incoming/" + rest).isPresent());
    }

    @Test
    public void oneInvocationAtATimeHoldsAVersion() {
        IngestLedger ledger = new IngestLedger(fx.stack().state());
        String folder = "ingest/test-" + UUID.randomUUID() + "/";
        java.time.Instant now = java.time.Instant.now();
        java.util.function.Supplier<IngestState> fresh = () -> IngestState.started("incoming/x/y", "e", "x", 10,
                "seed", "first", now.plusSeconds(60), now);
        assertTrue(ledger.claim(folder, "first", now.plusSeconds(60), now, fresh) instanceof IngestLedger.Claim.Mine);
        assertTrue(ledger.claim(folder, "second", now.plusSeconds(60), now, fresh) instanceof IngestLedger.Claim.Busy);
        // a lease that ran out (its invocation died) is taken over
        IngestLedger.Claim later = ledger.claim(folder, "second", now.plusSeconds(200), now.plusSeconds(120), fresh);
        assertTrue(later instanceof IngestLedger.Claim.Mine);
        assertEquals(2, ((IngestLedger.Claim.Mine) later).state().invocations());
    }
}
