package dev.datasync.populate;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.SyncStack;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.StringJoiner;

import static org.junit.Assert.assertEquals;

/**
 * Prints how many sync requests per second SyncHandler accepts end to end (validation, guard, JSON, PutMessages
 * through the real SDK to local-oci, which commits before answering), for single-object bodies and for 100-item
 * array bodies. Figures only, no timed assertions. {@code -Dbench.mode=full} for the longer run.
 */
public class PopulateThroughputBenchmark {

    @Rule
    public final LocalOciRule oci = new LocalOciRule();

    @Test
    public void acceptedRequestsPerSecond() throws Exception {
        boolean full = "full".equals(System.getProperty("bench.mode", "short"));
        int singles = full ? 2000 : 200;
        int arrays = full ? 50 : 5;
        DataSyncConfig config = DataSyncConfig.from(PopulateDataStreamFunctionLocalOciTest.localConfig(oci.oci()));
        JsonLog log = JsonLog.to(line -> { }, java.time.Clock.systemUTC());
        try (SyncStack stack = SyncStack.create(config, log)) {
            SyncHandler handler = new SyncHandler(config, stack, log);
            byte[] single = PopulateDataStreamFunctionLocalOciTest.request("key1", "").getBytes(StandardCharsets.UTF_8);
            StringJoiner batch = new StringJoiner(",", "[", "]");
            for (int i = 0; i < 100; i++) {
                batch.add(PopulateDataStreamFunctionLocalOciTest.request("key" + i, ""));
            }
            byte[] array = batch.toString().getBytes(StandardCharsets.UTF_8);

            for (int i = 0; i < 20; i++) { // warm-up: client build, JIT
                assertEquals(202, handler.handle("POST", Optional.empty(), single).status());
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < singles; i++) {
                assertEquals(202, handler.handle("POST", Optional.empty(), single).status());
            }
            double singleSecs = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            for (int i = 0; i < arrays; i++) {
                assertEquals(202, handler.handle("POST", Optional.empty(), array).status());
            }
            double arraySecs = (System.nanoTime() - t1) / 1e9;
            System.out.printf("""
                            {"benchmark":"populate","mode":"%s","singleBodies":%d,"singlePerSec":%.0f,\
                            "singleMeanMs":%.2f,"arrayBodies":%d,"itemsPerArray":100,"arrayItemsPerSec":%.0f}%n""",
                    full ? "full" : "short", singles, singles / singleSecs, singleSecs * 1000 / singles, arrays,
                    arrays * 100 / arraySecs);
        }
    }
}
