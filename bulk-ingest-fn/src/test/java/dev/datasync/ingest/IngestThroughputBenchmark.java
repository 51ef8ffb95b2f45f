package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.populate.SyncCall;
import dev.datasync.populate.SyncHandler;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.SyncStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.SyncLines;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

import static org.junit.Assert.assertEquals;

/**
 * Prints how many lines per second bulk ingest takes from one uploaded file (read from local-oci through the real
 * SDK, every line checked, written to DataSyncStream in 1 MB PutMessages requests, checkpoints and result object in
 * Object Storage) against how many items per second {@code /stream/sync} accepts in arrays of 100 (SyncHandler over
 * the same local-oci), in the same run; and whether the file fits the deployed time-out (func.yaml: 300 s) in one
 * invocation. Figures only, no timed assertions. Short mode: 5,000 lines; {@code -Dbench.mode=full}: 100,000.
 */
public class IngestThroughputBenchmark {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    private static final Duration DEPLOYED_TIMEOUT = Duration.ofSeconds(300);
    private static IngestFixture fx;

    @BeforeClass
    public static void start() {
        fx = new IngestFixture(ENV.pipeline(), c -> { });
    }

    @AfterClass
    public static void stop() {
        fx.close();
    }

    private static byte[] file(int lines) {
        List<String> all = new ArrayList<>(lines);
        for (int n = 1; n <= lines; n++) {
            all.add(SyncLines.valid("key" + (n % 100), IngestFixture.TARGET, n));
        }
        return SyncLines.file(all);
    }

    /** Ingests a file to its end; @return the invocations it took. */
    private static int ingest(String name, byte[] file) {
        fx.uploads.upload(name, file);
        JsonNode event = fx.uploads.eventFor(name);
        int invocations = 0;
        IngestAnswer a;
        do {
            IngestHandler h = fx.handler(Clock.systemUTC());
            a = h.answer(Json.toBytes(event), Instant.now().plus(DEPLOYED_TIMEOUT));
            invocations++;
            if ("continued".equals(a.outcome())) {
                event = fx.uploads.eventFor(IngestNames.CONTINUE + name.substring("incoming/".length()));
            }
        } while ("continued".equals(a.outcome()));
        assertEquals("done", a.outcome());
        return invocations;
    }

    @Test
    public void linesPerSecondOfAFileAgainstSyncArrays() throws Exception {
        boolean full = "full".equals(System.getProperty("bench.mode", "short"));
        int lines = full ? 100_000 : 5_000;
        byte[] big = file(lines);
        ingest("incoming/orders-app/warm-up-" + UUID.randomUUID() + ".jsonl", file(500));

        long t0 = System.nanoTime();
        int invocations = ingest("incoming/orders-app/bench-" + UUID.randomUUID() + ".jsonl", big);
        double fileSecs = (System.nanoTime() - t0) / 1e9;

        double arraySecs = syncArrays(lines);
        System.out.printf("""
                        {"benchmark":"bulk-ingest","mode":"%s","lines":%d,"fileMiB":%.1f,"fileSeconds":%.1f,\
                        "linesPerSec":%.0f,"invocations":%d,"withinDeployedTimeout":%s,\
                        "syncArrayItems":%d,"itemsPerArray":100,"syncArrayItemsPerSec":%.0f,"ratio":%.2f}%n""",
                full ? "full" : "short", lines, big.length / 1048576.0, fileSecs, lines / fileSecs, invocations,
                invocations == 1 && fileSecs < DEPLOYED_TIMEOUT.toSeconds(), lines, lines / arraySecs,
                (lines / fileSecs) / (lines / arraySecs));
    }

    /** The same number of items through {@code /stream/sync} in arrays of 100; @return the seconds it took. */
    private static double syncArrays(int items) throws Exception {
        DataSyncConfig config = DataSyncConfig.from(ENV.pipeline().config());
        JsonLog log = JsonLog.to(line -> { }, Clock.systemUTC());
        try (SyncStack stack = SyncStack.create(config, log)) {
            SyncHandler handler = new SyncHandler(config, stack, log);
            StringJoiner batch = new StringJoiner(",", "[", "]");
            for (int i = 0; i < 100; i++) {
                batch.add(SyncLines.valid("key" + i, IngestFixture.TARGET, i));
            }
            SyncCall call = new SyncCall("POST", Optional.of("application/json"), Optional.empty(),
                    Optional.of("orders-app"), batch.toString().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) { // warm-up
                assertEquals(202, handler.handle(call).status());
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < items / 100; i++) {
                assertEquals(202, handler.handle(call).status());
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
