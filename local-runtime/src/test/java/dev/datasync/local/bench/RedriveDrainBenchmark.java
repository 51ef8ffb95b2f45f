package dev.datasync.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetails;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import dev.datasync.local.StackOutside;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackSettings;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.Header;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static dev.datasync.local.Waits.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The automatic redrive's drain rate once a target heals, against the first-delivery rate of the same stack in the
 * same run, both to a target that answers 200 after 20 ms:
 * <ol>
 *   <li><b>first delivery</b>: N messages written straight into DataSyncStream (PutMessages through the SDK, far
 *   faster than the delivery, so the connector and ReadDataStream drain a backlog); rate = N / (last delivery −
 *   first delivery);</li>
 *   <li><b>failure</b>: N more messages to a path the target answers 404 (a route not deployed yet: not transient,
 *   so each is called once, and not counted by the circuit breaker, so nothing else differs after the heal); they
 *   land in DefaultErrorStream, a redriven stream, due at the schedule's first slot;</li>
 *   <li><b>redrive</b>: the stack stops, the target heals, and once every failed message is due
 *   ({@code nextAttemptAt}) the stack starts again: the redrive passes find the whole backlog due at once and
 *   deliver it with no one calling {@code /stream/retry}; rate = N / (last − first redriven delivery).</li>
 * </ol>
 * The stop makes the drain measure the redrive's capacity, not the pace at which messages fall due. The first run's
 * schedule is one long slot, so no pass tries a failed message before the heal (and the local timer, which runs a
 * pass every shortest slot, runs few passes copying not-yet-due messages forward); the second run's is {@code 1s},
 * so the timer runs a pass every second, back to back, as long as the backlog lasts. Prints figures,
 * asserts none of them; it asserts that every message was delivered. {@code -Dbench.mode=full}: N = 10,000;
 * {@code short} (CI default): 1,000. Aim: redrive ≥ 0.8 × first delivery.
 */
public class RedriveDrainBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean FULL = "full".equals(System.getProperty("bench.mode", "short"));
    private static final int MESSAGES = FULL ? 10_000 : 1_000;
    private static final int KEYS = 500;
    private static final long TARGET_LATENCY_MS = 20;
    /** The first run's one slot: it must outlast the routing of the N failures (none is tried before the heal). */
    private static final String FAILING_SCHEDULE = FULL ? "120s" : "30s";
    /** The second run's: a pass every second while the backlog lasts. */
    private static final String DRAINING_SCHEDULE = "1s";
    private static final long DRAIN_TIMEOUT_MS = FULL ? 600_000 : 180_000;

    @Test
    public void redriveDrainRateAgainstFirstDelivery() throws Exception {
        Path dataDir = Files.createTempDirectory("datasync-redrive-bench").resolve("data");
        StackSettings failing = settings(dataDir, FAILING_SCHEDULE);
        StackSettings draining = settings(dataDir, DRAINING_SCHEDULE);
        double loadBefore = load();
        try (ScriptedTarget target = ScriptedTarget.start()) {
            target.byDefault("/first", Reply.status(200).delayed(TARGET_LATENCY_MS));
            target.byDefault("/redrive", Reply.status(404));
            double firstRate;
            double firstInFlight;
            Instant dueAt;
            try (PipelineStack stack = PipelineStack.start(failing, RepoLayout.locate());
                 StackOutside outside = StackOutside.open(dataDir)) {
                put(outside, target.baseUrl() + "/first", "first");
                await(() -> distinct(target.received("/first")) >= MESSAGES, DRAIN_TIMEOUT_MS, 200,
                        () -> "first delivery of " + MESSAGES + " (" + distinct(target.received("/first")) + ")");
                firstRate = rate(target.received("/first"));
                firstInFlight = meanInFlight(target.received("/first"));

                put(outside, target.baseUrl() + "/redrive", "redrive");
                AtomicReference<Instant> lastDue = new AtomicReference<>();
                AtomicReference<Integer> routed = new AtomicReference<>(0);
                await(() -> {
                    Set<String> failed = new HashSet<>();
                    Instant due = Instant.EPOCH;
                    for (Message m : outside.messages(Topology.DEFAULT_ERROR_STREAM)) {
                        JsonNode envelope = envelope(m);
                        if (envelope.path(StreamMessage.SYNC_ID).asText().startsWith("redrive-")) {
                            failed.add(envelope.get(StreamMessage.SYNC_ID).asText());
                            Instant next = Instant.parse(envelope.path(PipelineFields.NEXT_ATTEMPT_AT).asText());
                            due = next.isAfter(due) ? next : due;
                        }
                    }
                    routed.set(failed.size());
                    lastDue.set(due);
                    return failed.size() >= MESSAGES;
                }, DRAIN_TIMEOUT_MS, 1_000, () -> "the failed messages in DefaultErrorStream (" + routed.get() + ")");
                dueAt = lastDue.get();
            }
            long healedAt = System.nanoTime();
            target.byDefault("/redrive", Reply.status(200).delayed(TARGET_LATENCY_MS));
            long wait = dueAt.toEpochMilli() - System.currentTimeMillis() + 1_000;
            if (wait > 0) {
                Thread.sleep(wait);
            }
            long startedAt = System.nanoTime();
            long readyAt;
            double redriveRate;
            List<ScriptedTarget.Received> redriven;
            try (PipelineStack stack = PipelineStack.start(draining, RepoLayout.locate())) {
                readyAt = System.nanoTime();
                await(() -> distinct(after(target.received("/redrive"), healedAt)) >= MESSAGES, DRAIN_TIMEOUT_MS,
                        200, () -> "every failed message redriven (" + distinct(after(target.received("/redrive"),
                                healedAt)) + " of " + MESSAGES + ")");
                redriven = after(target.received("/redrive"), healedAt);
                redriveRate = rate(redriven);
            }
            assertEquals(MESSAGES, distinct(redriven));
            long firstRedriven = redriven.stream().mapToLong(ScriptedTarget.Received::startNanos).min().orElseThrow();
            long lastRedriven = redriven.stream().mapToLong(ScriptedTarget.Received::endNanos).max().orElseThrow();
            System.out.printf("RedriveDrainBenchmark (%s mode, %,d messages on %d keys, target latency %d ms, "
                            + "redrive_schedule %s then %s; load average %.1f before / %.1f after)%n"
                            + "  first delivery (DataSyncStream backlog): %.0f msg/s, %.1f calls in flight on average%n"
                            + "  redrive drain after the heal:            %.0f msg/s = %.2fx first delivery"
                            + " (aim >= 0.8x: %s), %.1f calls in flight on average%n"
                            + "  stack start %.1f s, ready -> first redriven delivery %.1f s, ready -> all %.1f s;"
                            + " %d redriven calls for %,d messages%n",
                    FULL ? "full" : "short", MESSAGES, KEYS, TARGET_LATENCY_MS, FAILING_SCHEDULE, DRAINING_SCHEDULE,
                    loadBefore, load(),
                    firstRate, firstInFlight, redriveRate, redriveRate / firstRate,
                    redriveRate >= 0.8 * firstRate ? "met" : "NOT met", meanInFlight(redriven),
                    (readyAt - startedAt) / 1e9, (firstRedriven - readyAt) / 1e9, (lastRedriven - readyAt) / 1e9,
                    redriven.size(), MESSAGES);
            assertTrue(firstRate > 0 && redriveRate > 0);
        }
    }

    private static StackSettings settings(Path dataDir, String redriveSchedule) {
        return StackSettings.fromEnvironment(Map.of("DATASYNC_DATA_DIR", dataDir.toString(), "DATASYNC_PORT", "0",
                "DATASYNC_REDRIVE_SCHEDULE", redriveSchedule, "DATASYNC_REDRIVE_MAX_AGE", "1h"));
    }

    /**
     * N stored messages (syncIds {@code <prefix>-<i>}, source {@code local}, on {@value #KEYS} streamKeys) written
     * into DataSyncStream in batches of 500, as PopulateDataStream stores them.
     */
    private static void put(StackOutside outside, String targetUrl, String prefix) {
        List<PutMessagesDetailsEntry> batch = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            JsonNode payload = JsonNodeFactory.instance.objectNode().put("orderid", prefix + "-" + i)
                    .put("customer", "c-" + (i % KEYS)).put("total", 100 + i);
            StreamMessage stored = new StreamMessage(null, targetUrl, "POST", payload,
                    List.of(new Header("Content-Type", "application/json")), null, null, null, Map.of())
                    .accepted(prefix + "-" + i, Instant.now(), "local");
            batch.add(PutMessagesDetailsEntry.builder().key(("order-" + i % KEYS).getBytes(StandardCharsets.UTF_8))
                    .value(stored.toJson().toString().getBytes(StandardCharsets.UTF_8)).build());
            if (batch.size() == 500 || i == MESSAGES - 1) {
                int failures = outside.clients().stream().putMessages(PutMessagesRequest.builder()
                        .streamId(outside.streamId(Topology.DATA_STREAM))
                        .putMessagesDetails(PutMessagesDetails.builder().messages(batch).build()).build())
                        .getPutMessagesResult().getFailures();
                assertEquals("PutMessages failures", 0, failures);
                batch = new ArrayList<>();
            }
        }
    }

    private static List<ScriptedTarget.Received> after(List<ScriptedTarget.Received> calls, long nanos) {
        return calls.stream().filter(r -> r.startNanos() > nanos).toList();
    }

    private static long distinct(List<ScriptedTarget.Received> calls) {
        return calls.stream().map(r -> r.header("Idempotency-Key")).distinct().count();
    }

    /** Distinct messages delivered per second, from the first call's start to the last call's end. */
    private static double rate(List<ScriptedTarget.Received> calls) {
        long first = calls.stream().mapToLong(ScriptedTarget.Received::startNanos).min().orElseThrow();
        long last = calls.stream().mapToLong(ScriptedTarget.Received::endNanos).max().orElseThrow();
        return distinct(calls) * 1e9 / (last - first);
    }

    /**
     * The calls the target had in flight on average over the phase (the sum of the calls' durations over its span):
     * what the delivery's concurrency limits let through, which the rate follows at a fixed target latency.
     */
    private static double meanInFlight(List<ScriptedTarget.Received> calls) {
        long first = calls.stream().mapToLong(ScriptedTarget.Received::startNanos).min().orElseThrow();
        long last = calls.stream().mapToLong(ScriptedTarget.Received::endNanos).max().orElseThrow();
        long busy = calls.stream().mapToLong(r -> r.endNanos() - r.startNanos()).sum();
        return (double) busy / (last - first);
    }

    private static JsonNode envelope(Message m) {
        try {
            return JSON.readTree(m.getValue());
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
