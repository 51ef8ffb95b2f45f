package dev.datasync.local.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.local.StreamDeclarations;
import dev.datasync.local.log.CapturedLog;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Service Connector Hub semantics of {@link StreamConnector} + {@link FunctionSink}, against a real local-oci. */
public class StreamConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @ClassRule
    public static final LocalOciRule OCI = new LocalOciRule(b -> b.declaration(StreamDeclarations.write(2,
            List.of("Batches", "Redelivery", "Restart", "PastEnd"), List.of("archive"))));
    @ClassRule
    public static final TemporaryFolder POSITIONS = new TemporaryFolder();
    private static Path dir;
    private static LocalOciClients clients;

    @BeforeClass
    public static void start() {
        dir = POSITIONS.getRoot().toPath();
        clients = new LocalOciClients(OCI.oci().configFile(), OCI.oci().profile(), OCI.baseUrl());
    }

    @AfterClass
    public static void stop() {
        clients.close();
    }

    private static String stream(String name) {
        return OCI.oci().resources().streams().get(name);
    }

    private static Map<String, Long> committed(Path positions) {
        return new PositionStore(positions).snapshot();
    }

    private static void put(String streamId, int from, int count) {
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            entries.add(PutMessagesDetailsEntry.builder().key(("k" + (i % 5)).getBytes(StandardCharsets.UTF_8))
                    .value(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)).build());
        }
        var r = clients.stream().putMessages(PutMessagesRequest.builder().streamId(streamId)
                .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build()).build());
        assertEquals(Integer.valueOf(0), r.getPutMessagesResult().getFailures());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A stand-in function that records the SCH bodies it receives. */
    private record Received(String partition, List<Long> offsets, List<Integer> values, List<String> keys) {
    }

    private static Received parse(FunctionRequest req) {
        try {
            JsonNode arr = JSON.readTree(req.body());
            assertTrue(arr.isArray());
            List<Long> offsets = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            String partition = null;
            for (JsonNode m : arr) {
                assertTrue(m.has("stream") && m.has("partition") && m.has("key") && m.has("value")
                        && m.has("offset") && m.has("timestamp"));
                partition = m.get("partition").asText();
                offsets.add(m.get("offset").asLong());
                values.add(JSON.readTree(Base64.getDecoder().decode(m.get("value").asText())).get("n").asInt());
                keys.add(new String(Base64.getDecoder().decode(m.get("key").asText()), StandardCharsets.UTF_8));
                assertTrue(m.get("timestamp").asText().endsWith("Z"));
            }
            return new Received(partition, offsets, values, keys);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static FunctionResponse ok() {
        return new FunctionResponse(200, Map.of(), "application/json", "{}".getBytes());
    }

    @Test
    public void deliversEveryMessageInSchBatchesInPartitionOrder() throws Exception {
        List<Received> got = new CopyOnWriteArrayList<>();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrentSamePartition = new AtomicInteger();
        Map<String, AtomicInteger> perPartition = Map.of("0", new AtomicInteger(), "1", new AtomicInteger());
        FunctionSink sink = new FunctionSink(req -> {
            Received r = parse(req);
            int inPartition = perPartition.get(r.partition()).incrementAndGet();
            maxConcurrentSamePartition.accumulateAndGet(inPartition, Math::max);
            concurrent.incrementAndGet();
            try {
                Thread.sleep(5);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            perPartition.get(r.partition()).decrementAndGet();
            got.add(r);
            return ok();
        });
        put(stream("Batches"), 0, 45);
        Path positions = dir.resolve("batches.json");
        try (StreamConnector c = new StreamConnector("batches", stream("Batches"), clients, sink,
                new BatchPolicy(10, Long.MAX_VALUE, Duration.ofMillis(300)),
                new EqualJitterBackoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                new PositionStore(positions)).start()) {
            await(() -> got.stream().mapToInt(r -> r.values().size()).sum() >= 45, "45 messages");
            Thread.sleep(400);
            assertEquals(45, got.stream().mapToInt(r -> r.values().size()).sum());
            assertEquals(1, maxConcurrentSamePartition.get());
            for (Received r : got) {
                assertTrue("batch size limit", r.values().size() <= 10);
            }
            // per key, values arrive in the order they were written
            Map<String, List<Integer>> byKey = new java.util.TreeMap<>();
            for (Received r : got) {
                for (int i = 0; i < r.values().size(); i++) {
                    byKey.computeIfAbsent(r.keys().get(i), k -> new ArrayList<>()).add(r.values().get(i));
                }
            }
            for (List<Integer> values : byKey.values()) {
                List<Integer> sorted = new ArrayList<>(values);
                sorted.sort(null);
                assertEquals(sorted, values);
            }
            // the commit follows the sink's answer: wait for it rather than trusting the 400 ms above
            await(() -> committed(positions).size() >= 2, "both partitions committed");
            assertEquals(2, committed(positions).size());
        }
    }

    @Test
    public void failedBatchIsRedeliveredUnchangedAndCommittedOnlyAfterSuccess() throws Exception {
        List<Received> attempts = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        Path positions = dir.resolve("redelivery.json");
        FunctionSink sink = new FunctionSink(req -> {
            Received r = parse(req);
            attempts.add(r);
            if (r.partition().equals("0") && failuresLeft.getAndDecrement() > 0) {
                assertTrue("nothing committed while failing", new PositionStore(positions).committed("0").isEmpty());
                return new FunctionResponse(502, Map.of(), null, new byte[0]);
            }
            return ok();
        });
        put(stream("Redelivery"), 0, 20);
        try (CapturedLog log = new CapturedLog();
             StreamConnector c = new StreamConnector("redelivery", stream("Redelivery"), clients, sink,
                     new BatchPolicy(100, Long.MAX_VALUE, Duration.ofMillis(300)),
                     new EqualJitterBackoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                     new PositionStore(positions)).start()) {
            await(() -> failuresLeft.get() < 0 && committed(positions).containsKey("0"), "partition 0 delivered");
            List<Received> p0 = attempts.stream().filter(r -> r.partition().equals("0")).toList();
            assertEquals(4, p0.size());
            for (Received r : p0) {
                assertEquals("the same batch every time", p0.get(0).offsets(), r.offsets());
            }
            long last = p0.get(0).offsets().get(p0.get(0).offsets().size() - 1);
            assertEquals(Long.valueOf(last), new PositionStore(positions).committed("0").orElseThrow());
            List<JsonNode> failedAttempts = log.lines("batch_failed");
            assertEquals(failedAttempts.toString(), 3, failedAttempts.size());
        }
    }

    @Test
    public void restartResumesFromCommittedPositions() throws Exception {
        Path positions = dir.resolve("restart.json");
        List<Integer> seen = new CopyOnWriteArrayList<>();
        FunctionSink sink = new FunctionSink(req -> {
            seen.addAll(parse(req).values());
            return ok();
        });
        BatchPolicy policy = new BatchPolicy(50, Long.MAX_VALUE, Duration.ofMillis(200));
        EqualJitterBackoff backoff = new EqualJitterBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        put(stream("Restart"), 0, 10);
        try (StreamConnector c = new StreamConnector("restart", stream("Restart"), clients, sink, policy, backoff,
                new PositionStore(positions)).start()) {
            await(() -> seen.size() >= 10, "first 10");
        }
        put(stream("Restart"), 10, 7);
        try (StreamConnector c = new StreamConnector("restart", stream("Restart"), clients, sink, policy, backoff,
                new PositionStore(positions)).start()) {
            await(() -> seen.size() >= 17, "next 7");
            Thread.sleep(400);
        }
        List<Integer> sorted = new ArrayList<>(seen);
        sorted.sort(null);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            expected.add(i);
        }
        assertEquals("each message exactly once across the restart", expected, sorted);
    }

    private static Message routed(long offset) {
        return Message.builder().stream("ArchiveErrors").partition("0").offset(offset)
                .key(("k" + offset).getBytes(StandardCharsets.UTF_8))
                .value(("{\"syncId\":\"s" + offset + "\"}").getBytes(StandardCharsets.UTF_8))
                .timestamp(new java.util.Date(1_700_000_000_000L + offset)).build();
    }

    @Test
    public void archiveBatchRedeliveredWithALaterLastOffsetOverwritesItsObject() throws Exception {
        String ns = OCI.oci().resources().namespace();
        ArchiveSink sink = new ArchiveSink(clients.objectStorage(), ns, "archive", "error-archive/test");
        // first hand-over: offsets 3..5, then a crash before the commit; the redelivery starts at the same offset
        // but more messages had arrived, so it closes at 8
        sink.deliver("ArchiveErrors", "0", List.of(routed(3), routed(4), routed(5)));
        sink.deliver("ArchiveErrors", "0", List.of(routed(3), routed(4), routed(5), routed(6), routed(7), routed(8)));
        // the next batch gets its own object
        sink.deliver("ArchiveErrors", "0", List.of(routed(9)));

        List<String> names = clients.objectStorage().listObjects(ListObjectsRequest.builder().namespaceName(ns)
                .bucketName("archive").prefix("error-archive/test/").build()).getListObjects().getObjects().stream()
                .map(ObjectSummary::getName).sorted().toList();
        assertEquals(names.toString(), 2, names.size());
        List<Long> archived = new ArrayList<>();
        for (String name : names) {
            try (var in = clients.objectStorage().getObject(GetObjectRequest.builder().namespaceName(ns)
                    .bucketName("archive").objectName(name).build()).getInputStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    archived.add(JSON.readTree(line).get("offset").asLong());
                }
            }
        }
        assertEquals("every offset archived exactly once", List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L), archived);
        assertEquals("error-archive/test/2023/11/14/ArchiveErrors-p0-00000000000000000003.jsonl", names.get(0));
    }

    @Test
    public void aPositionTheStreamRefusesIsLoggedOnceNotSilentlyRetried() throws Exception {
        put(stream("PastEnd"), 0, 6);
        Path positions = dir.resolve("pastend.json");
        new PositionStore(positions).commit("0", 1000); // e.g. positions kept from a data dir whose store was reset
        List<JsonNode> failures;
        try (CapturedLog log = new CapturedLog();
             StreamConnector c = new StreamConnector("pastend", stream("PastEnd"), clients,
                     new FunctionSink(req -> ok()), new BatchPolicy(100, Long.MAX_VALUE, Duration.ofMillis(100)),
                     new EqualJitterBackoff(Duration.ofMillis(50), Duration.ofMillis(200)),
                     new PositionStore(positions)).start()) {
            await(() -> !log.lines("read_failed").isEmpty(), "a read_failed line");
            Thread.sleep(2_500); // two or three more failed attempts: rate-limited to the first line
            failures = log.lines("read_failed");
            // presence is awaited (the fixed sleep above is only for the absence of more read_failed lines)
            await(() -> committed(positions).containsKey("1"), "partition 1 committed");
            assertTrue("partition 1 is not held up", committed(positions).containsKey("1"));
        }
        assertEquals(failures.toString(), 1, failures.size());
        JsonNode f = failures.get(0);
        assertEquals("WARN", f.get("level").asText());
        assertEquals("connector", f.get("component").asText());
        assertEquals("PastEnd", f.get("stream").asText());
        assertEquals("0", f.get("partition").asText());
        assertEquals(400, f.get("status").asInt());
        assertEquals(1000, f.get("readAfterOffset").asLong());
        assertTrue(f.toString(), f.get("reason").asText().contains("1000"));
    }
}
