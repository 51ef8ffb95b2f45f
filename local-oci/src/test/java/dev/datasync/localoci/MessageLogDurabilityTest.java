package dev.datasync.localoci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The emulator as a separate process: concurrent producers, {@code kill -9} while they write, restart on the
 * same data directory. Every acknowledged message must be readable at its acknowledged offset, no message may
 * appear twice, offsets stay contiguous, and writing continues where it stopped.
 */
public class MessageLogDurabilityTest {
    private static final int PRODUCERS = 4;
    private static final int BATCH = 20;

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();
    /** partition → offset → value of every acknowledged message. */
    private final Map<String, Map<Long, String>> acknowledged = new ConcurrentHashMap<>();

    @Test
    public void acknowledgedMessagesSurviveKill9() throws Exception {
        Path dataDir = folder.getRoot().toPath().resolve("data");
        Path declaration = EmulatorRule.projectDeclaration();
        String streamId;
        LocalOciProcess first = LocalOciProcess.start(dataDir, declaration);
        try {
            streamId = new ObjectMapper().readTree(dataDir.resolve("resources.json").toFile())
                    .get("streams").get("DataSyncStream").asText();
            writeUntilKilled(first, streamId);
        } finally {
            first.kill();
        }
        int acked = acknowledged.values().stream().mapToInt(Map::size).sum();
        assertTrue("producers should have been acknowledged before the kill: " + acked, acked > 100);

        try (LocalOciProcess second = LocalOciProcess.start(dataDir, declaration);
             StreamClient client = client(second)) {
            Map<String, String> seen = new HashMap<>();
            long total = 0;
            for (String partition : List.of("0", "1")) {
                List<Message> all = readAll(client, streamId, partition);
                Map<Long, String> acks = acknowledged.getOrDefault(partition, Map.of());
                for (int i = 0; i < all.size(); i++) {
                    Message m = all.get(i);
                    assertEquals("offsets are contiguous", i, (long) m.getOffset());
                    String value = new String(m.getValue(), StandardCharsets.UTF_8);
                    String before = seen.put(value, partition + "/" + m.getOffset());
                    assertEquals("duplicate of " + value + " at " + before, null, before);
                }
                for (Map.Entry<Long, String> ack : acks.entrySet()) {
                    assertTrue("acknowledged offset " + ack.getKey() + " of partition " + partition + " lost",
                            ack.getKey() < all.size());
                    assertEquals(ack.getValue(),
                            new String(all.get(ack.getKey().intValue()).getValue(), StandardCharsets.UTF_8));
                }
                total += all.size();
            }
            assertTrue(total >= acked);
            // the restarted emulator continues the offsets
            PutMessagesResultEntry next = client.putMessages(PutMessagesRequest.builder().streamId(streamId)
                    .putMessagesDetails(PutMessagesDetails.builder().messages(List.of(PutMessagesDetailsEntry
                            .builder().key("after".getBytes()).value("after".getBytes()).build())).build())
                    .build()).getPutMessagesResult().getEntries().get(0);
            assertEquals((long) readAll(client, streamId, next.getPartition()).size() - 1, (long) next.getOffset());
            System.out.println("{\"durability\":{\"acknowledged\":" + acked + ",\"readBack\":" + total + "}}");
        }
    }

    private void writeUntilKilled(LocalOciProcess oci, String streamId) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger batches = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(PRODUCERS);
        Set<Throwable> unexpected = ConcurrentHashMap.newKeySet();
        try (StreamClient client = client(oci)) {
            for (int t = 0; t < PRODUCERS; t++) {
                int producer = t;
                Thread thread = new Thread(() -> {
                    try {
                        for (int seq = 0; !stop.get(); seq++) {
                            List<PutMessagesDetailsEntry> entries = new ArrayList<>();
                            for (int i = 0; i < BATCH; i++) {
                                String value = "p" + producer + "-b" + seq + "-m" + i;
                                entries.add(PutMessagesDetailsEntry.builder().key(("k" + i).getBytes())
                                        .value(value.getBytes(StandardCharsets.UTF_8)).build());
                            }
                            List<PutMessagesResultEntry> results;
                            try {
                                results = client.putMessages(PutMessagesRequest.builder().streamId(streamId)
                                        .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build())
                                        .build()).getPutMessagesResult().getEntries();
                            } catch (BmcException e) {
                                return; // the emulator was killed: this batch is not acknowledged
                            }
                            for (int i = 0; i < BATCH; i++) {
                                PutMessagesResultEntry r = results.get(i);
                                acknowledged.computeIfAbsent(r.getPartition(), p -> new ConcurrentHashMap<>())
                                        .put(r.getOffset(), new String(entries.get(i).getValue(), StandardCharsets.UTF_8));
                            }
                            batches.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        unexpected.add(e);
                    } finally {
                        done.countDown();
                    }
                });
                thread.start();
            }
            // kill mid-stream: once a good number of batches went through, while producers are still writing
            long deadline = System.currentTimeMillis() + 30_000;
            while (batches.get() < 100 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            oci.kill();
            stop.set(true);
            done.await();
        }
        assertTrue("unexpected producer failures: " + unexpected, unexpected.isEmpty());
    }

    private static StreamClient client(LocalOciProcess oci) throws Exception {
        return StreamClient.builder().endpoint(oci.baseUrl).configuration(EmulatorRule.noRetries())
                .build(new ConfigFileAuthenticationDetailsProvider(oci.configFile.toString(), "DEFAULT"));
    }

    private static List<Message> readAll(StreamClient client, String streamId, String partition) {
        String cursor = client.createCursor(CreateCursorRequest.builder().streamId(streamId).createCursorDetails(
                CreateCursorDetails.builder().partition(partition).type(CreateCursorDetails.Type.TrimHorizon).build())
                .build()).getCursor().getValue();
        List<Message> out = new ArrayList<>();
        while (true) {
            GetMessagesResponse r = client.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor)
                    .limit(10_000).build());
            if (r.getItems().isEmpty()) {
                return out;
            }
            out.addAll(r.getItems());
            cursor = r.getOpcNextCursor();
        }
    }
}
