package dev.datasync.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.RunningStack;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.Assert.assertTrue;

/**
 * Prints, for the whole local stack on this machine: accepted sync requests per second at {@code /stream/sync}
 * (single and array bodies, concurrent clients) — single bodies both with the source credential checked (signature,
 * registry, rate limit: what every request pays) and with the checks skipped, alternating in the same run, so the
 * cost of authentication shows as a ratio — and POST-to-target latency p50/p99 at a steady moderate rate
 * (POST /stream/sync sent → the target receives the delivery; includes the connector's batch time).
 * {@code -Dbench.mode=full} for the README figures; short mode in CI. Figures only, no timed assertions.
 */
public class GatewayThroughputBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean FULL = "full".equals(System.getProperty("bench.mode", "short"));
    private static final int CLIENTS = 8;
    private static final int ARRAY_ITEMS = 20;

    private static RunningStack running;
    private static SampleTarget target;
    private static PipelineStack stack;
    /** a source whose rate limit is far above what this machine can send: limited, but never refused */
    private static String credential;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_FN_POOL", "4"), settings -> settings);
        stack = running.stack();
        target = running.target();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dev.datasync.local.cli.DataSyncCliAccess.run(List.of("sources", "add", "bench", "--rate", "1000000", "--json"),
                Map.of("DATASYNC_DATA_DIR", stack.dataDir().toString()), new java.io.PrintStream(out, true));
        credential = JSON.readTree(out.toByteArray()).get("credential").asText();
    }

    @AfterClass
    public static void stop() {
        if (running != null) {
            running.close();
        }
    }

    private static String item(int i) {
        return "{\"streamKey\":\"key-" + (i % 16) + "\",\"streamMessage\":{\"vaultSecretName\":\"bench\","
                + "\"targetRestApi\":\"" + target.baseUrl() + "/orders/" + i + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"" + i + "\",\"PO\":\"po-" + i + "\"},"
                + "\"targetRestApiHeaders\":[{\"key\":\"Content-Type\",\"value\":\"application/json\"}]}}";
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/stream/sync"))
                .header("Authorization", "Bearer bench-token").header("Content-Type", "application/json")
                .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + credential)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs CLIENTS senders for the given time; answers items accepted. */
    private static long load(long millis, boolean array) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicLong accepted = new AtomicLong();
        AtomicLong counter = new AtomicLong();
        long end = System.nanoTime() + millis * 1_000_000;
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int i = (int) counter.getAndIncrement();
                    String body;
                    if (array) {
                        StringBuilder sb = new StringBuilder("[");
                        for (int k = 0; k < ARRAY_ITEMS; k++) {
                            sb.append(k == 0 ? "" : ",").append(item(i * ARRAY_ITEMS + k));
                        }
                        body = sb.append(']').toString();
                    } else {
                        body = item(i);
                    }
                    HttpResponse<String> r = post(body);
                    if (r.statusCode() == 202) {
                        accepted.addAndGet(array ? ARRAY_ITEMS : 1);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return accepted.get();
    }

    /** Items accepted and seconds spent by one kind of load. */
    private static final class Tally {
        long accepted;
        double seconds;

        void add(long millis, boolean array) throws Exception {
            long t = System.nanoTime();
            accepted += load(millis, array);
            seconds += (System.nanoTime() - t) / 1e9;
        }

        double rate() {
            return accepted / seconds;
        }
    }

    @Test
    public void acceptedRequestsPerSecondAndDeliveryLatency() throws Exception {
        long warm = load(FULL ? 3_000 : 1_000, false); // warm-up: JIT, connection pools, the token's vault secret
        stack.skipSourceChecksAs("bench");
        warm += load(FULL ? 2_000 : 500, false);
        long single = FULL ? 20_000 : 3_000; // per mode: single bodies with and without checks, and arrays
        // the two modes alternate in rounds, each round in the other order (checked-skipped, skipped-checked, ...),
        // so drift of the machine's load and the JIT's warming weigh on both alike
        Tally checked = new Tally();
        Tally skipped = new Tally();
        int rounds = FULL ? 4 : 2;
        for (int round = 0; round < rounds; round++) {
            for (boolean checking : round % 2 == 0 ? new boolean[]{true, false} : new boolean[]{false, true}) {
                stack.skipSourceChecksAs(checking ? null : "bench");
                (checking ? checked : skipped).add(single / rounds, false);
            }
        }
        stack.skipSourceChecksAs(null);
        long acceptedSingle = checked.accepted;
        double singleRate = checked.rate();

        long t1 = System.nanoTime();
        long acceptedArray = load(single, true);
        double arrayRate = acceptedArray / ((System.nanoTime() - t1) / 1e9);

        // let the connector drain the backlog before measuring latency at a steady rate
        long until = System.currentTimeMillis() + (FULL ? 300_000 : 120_000);
        long total = warm + acceptedSingle + skipped.accepted + acceptedArray;
        long tDrain = System.nanoTime();
        while (deliveredToTarget() < total && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        long drained = deliveredToTarget();
        double drainSeconds = (System.nanoTime() - tDrain) / 1e9;

        int rate = 20;
        int count = FULL ? rate * 30 : rate * 4;
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long sent = System.nanoTime();
            HttpResponse<String> r = post(item(1_000_000 + i));
            if (r.statusCode() == 202) {
                JsonNode n = JSON.readTree(r.body());
                sentAt.put(n.get("syncId").asText(), sent);
            }
        }
        List<Long> latencies = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            latencies.clear();
            Map<String, Long> firstSeen = new HashMap<>();
            for (SampleTarget.Received r : target.received()) {
                if (r.idempotencyKey() != null && sentAt.containsKey(r.idempotencyKey())) {
                    firstSeen.merge(r.idempotencyKey(), r.atNanos(), Math::min);
                }
            }
            if (firstSeen.size() == sentAt.size()) {
                firstSeen.forEach((k, v) -> latencies.add((v - sentAt.get(k)) / 1_000_000));
                break;
            }
            Thread.sleep(100);
        }
        Collections.sort(latencies);
        System.out.printf("GatewayThroughputBenchmark (bench.mode=%s, %d cores, %d function containers each, "
                        + "%d clients)%n", FULL ? "full" : "short", Runtime.getRuntime().availableProcessors(), 4,
                CLIENTS);
        System.out.printf("  /stream/sync single bodies : %8.0f accepted/s (%d in %.1f s), source credential checked%n",
                singleRate, acceptedSingle, checked.seconds);
        System.out.printf("  /stream/sync single bodies : %8.0f accepted/s (%d in %.1f s), source checks skipped: "
                + "checking costs %.1f%% of the throughput (%d alternating rounds)%n", skipped.rate(),
                skipped.accepted, skipped.seconds, 100 * (1 - singleRate / skipped.rate()), rounds);
        System.out.printf("  /stream/sync arrays of %d  : %8.0f items accepted/s (%d in %.1f s)%n", ARRAY_ITEMS,
                arrayRate, acceptedArray, single / 1e3);
        System.out.printf("  backlog: %d of %d accepted messages delivered to the target by the connector, %.1f s "
                + "after the load ended%n", drained, total, drainSeconds);
        if (!latencies.isEmpty()) {
            System.out.printf("  POST-to-target latency at %d msg/s (read batch_time_in_sec %.1f): p50 %d ms, "
                            + "p99 %d ms, max %d ms (n=%d)%n", rate, 1.0, pct(latencies, 50), pct(latencies, 99),
                    latencies.get(latencies.size() - 1), latencies.size());
        }
        assertTrue("the benchmark measured something", acceptedSingle > 0 && skipped.accepted > 0 && acceptedArray > 0
                && latencies.size() == sentAt.size());
    }

    /** Messages the target answered with a success, each counted once (by its Idempotency-Key). */
    private static long deliveredToTarget() {
        return target.received().stream().filter(SampleTarget.Received::succeeded)
                .map(SampleTarget.Received::idempotencyKey).distinct().count();
    }

    private static long pct(List<Long> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
