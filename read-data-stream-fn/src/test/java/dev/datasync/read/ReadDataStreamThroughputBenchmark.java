package dev.datasync.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.SigningSecretStore;
import dev.datasync.shared.ordering.KeyRef;
import dev.datasync.shared.ordering.OrderingPass;
import dev.datasync.shared.ordering.Settlement;
import dev.datasync.shared.rules.RulesFile;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * ReadDataStream throughput: one batch to a local target that adds 50 ms to every request, delivered at
 * {@code delivery_concurrency} 32, next to a sequential baseline (concurrency 1) in the same run. Prints figures;
 * asserts only that every message was delivered (timings on a shared machine are not assertions).
 * <p>
 * {@code -Dbench.mode=full}: 1,000 messages (baseline 200, which alone takes ~10 s); {@code short} (CI default):
 * 200 messages (baseline 40). Aim: at least 0.9 × 32 / 50 ms = 576 msg/s at concurrency 32.
 * Each message has its own streamKey, as in a real batch of unrelated orders.
 * <p>
 * Ordering state ({@link #orderingStateOnAndOff}): two containers side by side, per-key ordering on (the default:
 * the held index read from local-oci's state bucket once per batch, here holding {@value #HELD_KEYS} keys of another
 * source, and every keyed message looked up in it) and off ({@code key_ordering=false}), the same batch at
 * concurrency 32, rounds alternating which goes first; the report prints the medians and their ratio (aim: at
 * least 0.9).
 * <p>
 * Rules ({@link #rulesOnAndOff}, issue 15): the same batch from a source with a typical rule set (a filter that
 * keeps every message and a transform that renames fields and wraps them in an envelope with constants; read from
 * local-oci's state bucket once per batch) and from a source without rules (its payload sent as received; its
 * rules object looked for once per batch), in two containers, rounds alternating; the report prints the medians
 * and their ratio (aim: at least 0.8).
 * <p>
 * Metrics ({@link #metricsOnAndOff}): the same two-container comparison with the functions' metrics on (recorded per
 * message, one PostMetricData to local-oci's Monitoring per batch) and off (no {@code metrics_compartment_ocid});
 * aim: at least 0.95.
 * <p>
 * Signing ({@link #signingOnAndOff}): one container, the same batch from a source that signs its deliveries (its
 * policy in the state bucket, its secret in local-oci's Vault) and from one that does not, rounds alternating which
 * goes first; the report prints the medians and the ratio signed/unsigned (aim: at least 0.9).
 */
public class ReadDataStreamThroughputBenchmark {

    private static final long TARGET_LATENCY_MS = 50;
    /** Keys held in the state bucket while the batches run: the index every batch reads and looks keys up in. */
    static final int HELD_KEYS = 1000;

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.against(ENV.pipeline());

    @BeforeClass
    public static void scriptTarget() {
        ENV.pipeline().target().byDefault("/bench", Reply.status(200).delayed(TARGET_LATENCY_MS));
        ENV.pipeline().target().byDefault("/warm", Reply.status(200));
    }

    /** {@link #HELD_KEYS} keys of another source held in the state bucket, as after an outage of its target. */
    @BeforeClass
    public static void holdKeys() {
        try (DeliveryStack stack = DeliveryStack.create(DataSyncConfig.from(ENV.pipeline().config()),
                JsonLog.to(line -> { }, Clock.systemUTC()))) {
            OrderingPass pass = stack.ordering().begin();
            List<Settlement> held = new ArrayList<>();
            String stream = ENV.pipeline().stream(LocalPipeline.SERVICE_UNAVAILABLE);
            for (int i = 0; i < HELD_KEYS; i++) {
                held.add(Settlement.waiting(new KeyRef("other-app", "held-" + i), "held-sync-" + i, stream));
            }
            pass.settle(held);
        }
    }

    /** n messages to one path of the target, each with its own streamKey and order id. */
    private static String batch(String path, int n, String prefix) {
        return batch(path, n, prefix, null);
    }

    /** The same, sent by {@code sourceId} (null: none, as before sources existed). */
    private static String batch(String path, int n, String prefix, String sourceId) {
        String[] elements = new String[n];
        String source = sourceId == null ? "" : ",\"sourceId\":" + Json.toText(sourceId);
        for (int i = 0; i < n; i++) {
            String value = """
                    {"targetRestApi":%s,"targetRestApiOperation":"POST",\
                    "targetRestApiPayload":{"orderid":"%s%d","PO":"18jan"},"targetRestApiHeaders":%s,\
                    "syncId":"%s-%d","receivedAt":"2026-12-07T06:00:00Z"%s}""".formatted(
                    Json.toText(ENV.pipeline().target().baseUrl() + path), prefix, i,
                    SchBatches.CONTENT_TYPE_JSON, prefix, i, source);
            elements[i] = SchBatches.element(prefix + "-key-" + i, value, i, 1764050400456L);
        }
        return SchBatches.batch(elements);
    }

    /**
     * Runs a warm-up batch then the measured one in one container; returns the measured batch's duration (ms).
     * The warm-up has the measured batch's size and goes to a path that answers at once, so the measured batch
     * meets a hot container, as when the connector keeps one busy batch after batch. With the former 32-message
     * warm-up the JIT was still compiling the delivery path throughout the measured batch: its compiler threads
     * used ~1.2-1.6 s of CPU during the ~2.2 s of warm-up plus measured batch, over half of this machine's two
     * cores, and every wave of 32 calls waited for CPU (first 100 calls: 58-64 ms each against a 50 ms target).
     */
    private long run(int concurrency, int messages, String prefix) throws Exception {
        fn.setConfig("delivery_concurrency", Integer.toString(concurrency));
        fn.givenEvent().withBody(batch("/warm", messages, prefix + "w")).enqueue();
        fn.givenEvent().withBody(batch("/bench", messages, prefix)).enqueue();
        int before = ENV.pipeline().target().received("/bench").size();
        fn.thenRun(ReadDataStreamFunction.class, "handleRequest");
        List<FnResult> results = fn.getResults();
        FnResult measured = results.get(results.size() - 1);
        assertEquals(OutputEvent.Status.Success, measured.getStatus());
        JsonNode summary = Json.parse(measured.getBodyAsBytes());
        assertEquals(messages, summary.get("delivered").asInt());
        assertEquals(before + messages, ENV.pipeline().target().received("/bench").size());
        // the function's own figure for the measured batch (the last batch.done line)
        long duration = -1;
        for (String line : fn.getStdErrAsString().split("\n")) {
            if (line.contains("batch.done")) {
                JsonNode logged = Json.parse(line.getBytes(StandardCharsets.UTF_8));
                if (logged.path("event").asText().equals("batch.done")) {
                    duration = logged.get("durationMs").asLong();
                }
            }
        }
        return duration;
    }

    private static boolean full() {
        return "full".equals(System.getProperty("bench.mode", "short"));
    }

    /** messages and measured duration (ms) per concurrency; reported together once both ran. */
    private static final Map<Integer, long[]> MEASURED = new TreeMap<>();
    /** Durations (ms) of the measured batch per round, with per-key ordering on and off, and its size. */
    private static final List<Long> ORDERING_ON = new ArrayList<>();
    private static final List<Long> ORDERING_OFF = new ArrayList<>();
    private static final int[] ORDERED_MESSAGES = new int[1];
    /** Durations (ms) of the measured batch per round, signed and unsigned, and its size. */
    private static final List<Long> SIGNED = new ArrayList<>();
    private static final List<Long> UNSIGNED = new ArrayList<>();
    private static final int[] SIGNED_MESSAGES = new int[1];
    /** Durations (ms) of the measured batch per round, from a source with rules and from one without. */
    private static final List<Long> RULES_ON = new ArrayList<>();
    private static final List<Long> RULES_OFF = new ArrayList<>();
    private static final int[] RULES_MESSAGES = new int[1];
    /** A typical rule set: keep what has an order id, rename its fields and wrap them in an envelope. */
    static final String TYPICAL_RULES = """
            {"filter": "$exists(payload.orderid)",
             "transform": "{'type': 'order.created', 'source': source, 'id': syncId, 'time': receivedAt,\
             'data': {'orderId': payload.orderid, 'purchaseOrder': payload.PO}}"}""";

    // One test per measurement: FnTestingRule never forgets events enqueued before an earlier thenRun, so a second
    // run in the same test would feed the first run's (already consumed) events again.
    @Test
    public void concurrency32() throws Exception {
        int messages = full() ? 1000 : 200;
        MEASURED.put(32, new long[]{messages, run(32, messages, "p")});
    }

    /**
     * Per-key ordering's cost: a container with it and one without, each warmed by a batch of the measured size,
     * then rounds of the measured batch in both, alternating which runs first. Through the handler (the FDK adds
     * the same to both), the real SDK against local-oci.
     */
    @Test
    public void orderingStateOnAndOff() throws Exception {
        int messages = full() ? 1000 : 200;
        int rounds = full() ? 5 : 3;
        Map<String, String> config = ENV.pipeline().config();
        config.put("delivery_concurrency", "32");
        Map<String, String> unordered = new HashMap<>(config);
        unordered.put("key_ordering", "false");
        JsonLog quiet = JsonLog.to(line -> { }, Clock.systemUTC());
        try (DeliveryStack on = DeliveryStack.create(DataSyncConfig.from(config), quiet);
             DeliveryStack off = DeliveryStack.create(DataSyncConfig.from(unordered), quiet)) {
            ReadDataStreamHandler withOrdering = new ReadDataStreamHandler(on.pipeline(), on.defaultRoutes(),
                    on.redrivePending(), quiet);
            ReadDataStreamHandler without = new ReadDataStreamHandler(off.pipeline(), off.defaultRoutes(),
                    off.redrivePending(), quiet);
            alternate(withOrdering, without, messages, rounds, "o", ORDERING_ON, ORDERING_OFF);
        }
        ORDERED_MESSAGES[0] = messages;
    }

    /**
     * The rules' cost: the same batch from a source with {@link #TYPICAL_RULES} and from one without, in two
     * containers (the same configuration: both look for their source's rules once per batch), each warmed by a batch
     * of the measured size, then rounds alternating which runs first.
     */
    @Test
    public void rulesOnAndOff() throws Exception {
        int messages = full() ? 1000 : 200;
        int rounds = full() ? 5 : 3;
        Map<String, String> config = new HashMap<>(ENV.pipeline().config());
        config.put("delivery_concurrency", "32");
        JsonLog quiet = JsonLog.to(line -> { }, Clock.systemUTC());
        try (DeliveryStack on = DeliveryStack.create(DataSyncConfig.from(config), quiet);
             DeliveryStack off = DeliveryStack.create(DataSyncConfig.from(config), quiet)) {
            on.stateObjects().create(RulesFile.objectName("shaped-app"),
                    TYPICAL_RULES.getBytes(StandardCharsets.UTF_8));
            ReadDataStreamHandler withRules = new ReadDataStreamHandler(on.pipeline(), on.defaultRoutes(),
                    on.redrivePending(), quiet);
            ReadDataStreamHandler without = new ReadDataStreamHandler(off.pipeline(), off.defaultRoutes(),
                    off.redrivePending(), quiet);
            timed(withRules, batch("/warm", messages, "tw", "shaped-app"), messages);
            timed(without, batch("/warm", messages, "nw", "plain-app"), messages);
            for (int r = 0; r < rounds; r++) {
                boolean onFirst = r % 2 == 0;
                String shaped = batch("/bench", messages, "t" + r, "shaped-app");
                String plain = batch("/bench", messages, "n" + r, "plain-app");
                long first = onFirst ? timed(withRules, shaped, messages) : timed(without, plain, messages);
                long second = onFirst ? timed(without, plain, messages) : timed(withRules, shaped, messages);
                RULES_ON.add(onFirst ? first : second);
                RULES_OFF.add(onFirst ? second : first);
            }
            // what the target got from the source with rules is the transform's value
            String last = ENV.pipeline().target().received("/bench").stream()
                    .map(c -> new String(c.body(), StandardCharsets.UTF_8))
                    .filter(b -> b.contains("order.created")).reduce((a, b) -> b).orElseThrow();
            assertTrue(last, last.startsWith("{\"type\":\"order.created\",\"source\":\"shaped-app\""));
        }
        RULES_MESSAGES[0] = messages;
    }

    /** Durations (ms) of the measured batch per round, with metrics on and off, and its size. */
    private static final List<Long> METRICS_ON = new ArrayList<>();
    private static final List<Long> METRICS_OFF = new ArrayList<>();
    private static final int[] METRICS_MESSAGES = new int[1];

    /**
     * The metrics' cost: a container publishing them (to local-oci's Monitoring, the real SDK) and one without,
     * per-key ordering on in both, measured like {@link #orderingStateOnAndOff}.
     */
    @Test
    public void metricsOnAndOff() throws Exception {
        int messages = full() ? 1000 : 200;
        int rounds = full() ? 5 : 3;
        Map<String, String> config = ENV.pipeline().config();
        config.put("delivery_concurrency", "32");
        Map<String, String> unmeasured = new HashMap<>(config);
        unmeasured.remove("metrics_compartment_ocid");
        JsonLog quiet = JsonLog.to(line -> { }, Clock.systemUTC());
        try (DeliveryStack on = DeliveryStack.create(DataSyncConfig.from(config), quiet);
             DeliveryStack off = DeliveryStack.create(DataSyncConfig.from(unmeasured), quiet)) {
            assertTrue(on.metrics().on() && !off.metrics().on());
            ReadDataStreamHandler measured = new ReadDataStreamHandler(on.pipeline(), on.defaultRoutes(),
                    on.redrivePending(), quiet);
            ReadDataStreamHandler unmeasuredHandler = new ReadDataStreamHandler(off.pipeline(), off.defaultRoutes(),
                    off.redrivePending(), quiet);
            alternate(measured, unmeasuredHandler, messages, rounds, "m", METRICS_ON, METRICS_OFF);
        }
        METRICS_MESSAGES[0] = messages;
    }

    /**
     * Both handlers warmed by a batch of the measured size, then {@code rounds} measured batches in each, alternating
     * which goes first; the durations go to {@code aOut} and {@code bOut}.
     */
    private static void alternate(ReadDataStreamHandler a, ReadDataStreamHandler b, int messages, int rounds,
                                  String tag, List<Long> aOut, List<Long> bOut) throws Exception {
        timed(a, batch("/warm", messages, tag + "aw"), messages);
        timed(b, batch("/warm", messages, tag + "bw"), messages);
        for (int r = 0; r < rounds; r++) {
            boolean aFirst = r % 2 == 0;
            long first = timed(aFirst ? a : b, batch("/bench", messages, tag + r + "a"), messages);
            long second = timed(aFirst ? b : a, batch("/bench", messages, tag + r + "b"), messages);
            aOut.add(aFirst ? first : second);
            bOut.add(aFirst ? second : first);
        }
    }

    /**
     * Signing's cost: one container, the same batch from a signing source and from one that does not sign, each
     * warmed first, then rounds alternating which goes first. The signing source's policy and secret are where the
     * functions read them (state bucket, Vault): what the rounds measure is the cached path plus one HMAC per call.
     */
    @Test
    public void signingOnAndOff() throws Exception {
        int messages = full() ? 1000 : 200;
        int rounds = full() ? 5 : 3;
        Map<String, String> config = ENV.pipeline().config();
        config.put("delivery_concurrency", "32");
        JsonLog quiet = JsonLog.to(line -> { }, Clock.systemUTC());
        try (DeliveryStack stack = DeliveryStack.create(DataSyncConfig.from(config), quiet)) {
            new SigningSecretStore(stack.clients()::vaults, stack.clients()::secrets, stack.config().vault(),
                    Clock.systemUTC()).rotate("signed-app");
            stack.stateObjects().create(SourcePolicy.objectName("signed-app"),
                    Json.toBytes(new SourcePolicy("signed-app", List.of(), 100, 100, true)));
            ReadDataStreamHandler handler = new ReadDataStreamHandler(stack.pipeline(), stack.defaultRoutes(),
                    stack.redrivePending(), quiet);
            timed(handler, batch("/warm", messages, "sw", "signed-app"), messages);
            timed(handler, batch("/warm", messages, "pw", "plain-app"), messages);
            int signedBefore = signedCalls();
            for (int r = 0; r < rounds; r++) {
                boolean signedFirst = r % 2 == 0;
                long first = timed(handler, batch("/bench", messages, "g" + r + "a",
                        signedFirst ? "signed-app" : "plain-app"), messages);
                long second = timed(handler, batch("/bench", messages, "g" + r + "b",
                        signedFirst ? "plain-app" : "signed-app"), messages);
                SIGNED.add(signedFirst ? first : second);
                UNSIGNED.add(signedFirst ? second : first);
            }
            assertEquals("every call of the signing source was signed", signedBefore + rounds * messages,
                    signedCalls());
        }
        SIGNED_MESSAGES[0] = messages;
    }

    /** Calls to the measured path that carried a signature. */
    private static int signedCalls() {
        return (int) ENV.pipeline().target().received("/bench").stream()
                .filter(r -> r.header("webhook-signature") != null).count();
    }

    /** Handles one batch; returns its duration (ms) once every message was delivered. */
    private static long timed(ReadDataStreamHandler handler, String body, int messages) throws Exception {
        long start = System.nanoTime();
        String summary = handler.handle(body.getBytes(StandardCharsets.UTF_8),
                Deadline.in(Duration.ofSeconds(60)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(messages, Json.parse(summary.getBytes(StandardCharsets.UTF_8)).get("delivered").asInt());
        return ms;
    }

    @Test
    public void sequentialBaseline() throws Exception {
        int messages = full() ? 200 : 40;
        MEASURED.put(1, new long[]{messages, run(1, messages, "s")});
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    @AfterClass
    public static void report() {
        reportConcurrency();
        reportOrdering();
        reportRules();
        reportMetrics();
        reportSigning();
    }

    private static void reportSigning() {
        reportOnOff("signing", "signed (Standard Webhooks, secret from Vault, cached)", "unsigned", "signed/unsigned",
                SIGNED_MESSAGES[0], SIGNED, UNSIGNED, 0.9);
    }

    private static void reportRules() {
        reportOnOff("source rules", "on (a filter and a renaming, wrapping transform)",
                "off (no rules: the payload as received)", "on/off", RULES_MESSAGES[0], RULES_ON, RULES_OFF, 0.8);
    }

    private static void reportMetrics() {
        reportOnOff("metrics", "on (recorded per message, one PostMetricData per batch)",
                "off (no metrics_compartment_ocid)", "on/off", METRICS_MESSAGES[0], METRICS_ON, METRICS_OFF, 0.95);
    }

    /** One comparison's medians (of alternating rounds at concurrency 32) and their ratio against its aim. */
    private static void reportOnOff(String what, String onLabel, String offLabel, String ratioLabel, int messages,
                                    List<Long> on, List<Long> off, double aim) {
        if (on.isEmpty()) {
            return; // not selected in this run
        }
        double onRate = messages * 1000.0 / median(on);
        double offRate = messages * 1000.0 / median(off);
        System.out.println(String.format(
                "  %s, %d messages at concurrency 32, median of %d alternating rounds:%n"
                        + "    %s: %.0f msg/s %s ms%n"
                        + "    %s: %.0f msg/s %s ms%n"
                        + "    %s = %.2fx (aim >= %.2fx: %s)",
                what, messages, on.size(), onLabel, onRate, on, offLabel, offRate, off, ratioLabel,
                onRate / offRate, aim, onRate / offRate >= aim ? "met" : "NOT met"));
    }

    private static void reportConcurrency() {
        if (MEASURED.size() < 2) {
            return; // a single test was selected: nothing to compare
        }
        long messages = MEASURED.get(32)[0], parallelMs = MEASURED.get(32)[1];
        long baselineMessages = MEASURED.get(1)[0], sequentialMs = MEASURED.get(1)[1];
        double parallelRate = messages * 1000.0 / parallelMs;
        double sequentialRate = baselineMessages * 1000.0 / sequentialMs;
        double aim = 0.9 * 32 * 1000.0 / TARGET_LATENCY_MS;
        String report = String.format(
                "ReadDataStreamThroughputBenchmark (%s mode, target latency %d ms)%n"
                        + "  concurrency 32: %d messages in %d ms = %.0f msg/s (aim >= %.0f msg/s: %s)%n"
                        + "  concurrency  1: %d messages in %d ms = %.1f msg/s (ideal %.1f)%n"
                        + "  speed-up: %.1fx",
                full() ? "full" : "short", TARGET_LATENCY_MS, messages, parallelMs, parallelRate, aim,
                parallelRate >= aim ? "met" : "NOT met", baselineMessages, sequentialMs, sequentialRate,
                1000.0 / TARGET_LATENCY_MS, parallelRate / sequentialRate);
        System.out.println(report);
    }

    private static void reportOrdering() {
        if (!ORDERING_ON.isEmpty()) {
            double onRate = ORDERED_MESSAGES[0] * 1000.0 / median(ORDERING_ON);
            double offRate = ORDERED_MESSAGES[0] * 1000.0 / median(ORDERING_OFF);
            System.out.println(String.format(
                    "  per-key ordering state, %d messages at concurrency 32, median of %d alternating rounds:%n"
                            + "    on (%d held keys in the state bucket, one read per batch): %.0f msg/s %s ms%n"
                            + "    off (key_ordering=false): %.0f msg/s %s ms%n"
                            + "    on/off = %.2fx (aim >= 0.9x: %s)",
                    ORDERED_MESSAGES[0], ORDERING_ON.size(), HELD_KEYS, onRate, ORDERING_ON, offRate, ORDERING_OFF,
                    onRate / offRate, onRate / offRate >= 0.9 ? "met" : "NOT met"));
        }
    }
}
