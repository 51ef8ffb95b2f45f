package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.localoci.LocalOciTestBase;
import org.junit.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.Assert.assertEquals;

/**
 * PutMessages and GetMessages throughput through the real SDK against an in-process emulator: batches of
 * 100 × 1 KB messages. Prints figures (no timed assertions). {@code -Dbench.mode=full} for the README figures;
 * the default short mode only keeps the benchmark working in CI.
 */
public class StreamingThroughputBenchmark extends LocalOciTestBase {
    private static final int BATCH = 100;
    private static final int MESSAGE_BYTES = 1024;
    private static final int PRODUCERS = 4;
    private static final int PARTITIONS = 2;
    private static final int READ_LIMIT = 1000;

    @Test
    public void putAndGetThroughput() throws Exception {
        boolean full = "full".equals(System.getProperty("bench.mode", "short"));
        int batchesPerProducer = full ? 500 : 25; // full: 200,000 messages; short: 10,000
        String compartment = oci.resources().compartments().get("DataSyncCompartment");
        try (StreamAdminClient admin = StreamAdminClient.builder().endpoint(oci.baseUrl()).build(provider);
             StreamClient client = StreamClient.builder().endpoint(oci.baseUrl()).build(provider)) {
            Stream stream = StreamDataTestBase.newStream(admin, compartment, "bench", PARTITIONS);
            String id = stream.getId();
            // warm-up: JIT, connection pool, SQLite caches (not measured)
            putBatches(client, id, PRODUCERS, full ? 50 : 5);
            long warmed = countAll(client, id);

            long start = System.nanoTime();
            long put = putBatches(client, id, PRODUCERS, batchesPerProducer);
            double putSeconds = (System.nanoTime() - start) / 1e9;

            start = System.nanoTime();
            long read = countAll(client, id);
            double readSeconds = (System.nanoTime() - start) / 1e9;
            assertEquals(warmed + put, read);

            System.out.printf("{\"benchmark\":\"StreamingThroughputBenchmark\",\"mode\":\"%s\",\"messageBytes\":%d,"
                            + "\"batch\":%d,\"producers\":%d,\"partitions\":%d,\"put\":{\"messages\":%d,\"seconds\":%.3f,"
                            + "\"messagesPerSecond\":%.0f},\"get\":{\"messages\":%d,\"limit\":%d,\"seconds\":%.3f,"
                            + "\"messagesPerSecond\":%.0f}}%n",
                    full ? "full" : "short", MESSAGE_BYTES, BATCH, PRODUCERS, PARTITIONS, put, putSeconds,
                    put / putSeconds, read, READ_LIMIT, readSeconds, read / readSeconds);
        }
    }

    private static long putBatches(StreamClient client, String streamId, int producers, int batches) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        AtomicLong stored = new AtomicLong();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        List<PutMessagesDetailsEntry> entries = new ArrayList<>(BATCH);
                        for (int i = 0; i < BATCH; i++) {
                            byte[] value = new byte[MESSAGE_BYTES];
                            ThreadLocalRandom.current().nextBytes(value);
                            entries.add(PutMessagesDetailsEntry.builder().key(("key-" + i).getBytes()).value(value).build());
                        }
                        PutMessagesResult r = client.putMessages(PutMessagesRequest.builder().streamId(streamId)
                                .putMessagesDetails(PutMessagesDetails.builder().messages(entries).build()).build())
                                .getPutMessagesResult();
                        stored.addAndGet(BATCH - r.getFailures());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return stored.get();
    }

    /** Reads every partition from the trim horizon, one reader thread per partition. */
    private static long countAll(StreamClient client, String streamId) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARTITIONS);
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                String partition = String.valueOf(p);
                futures.add(pool.submit(() -> {
                    String cursor = client.createCursor(CreateCursorRequest.builder().streamId(streamId)
                            .createCursorDetails(CreateCursorDetails.builder().partition(partition)
                                    .type(CreateCursorDetails.Type.TrimHorizon).build()).build()).getCursor().getValue();
                    long count = 0;
                    while (true) {
                        GetMessagesResponse r = client.getMessages(GetMessagesRequest.builder().streamId(streamId)
                                .cursor(cursor).limit(READ_LIMIT).build());
                        if (r.getItems().isEmpty()) {
                            return count;
                        }
                        count += r.getItems().size();
                        cursor = r.getOpcNextCursor();
                    }
                }));
            }
            long total = 0;
            for (Future<Long> f : futures) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }
}
