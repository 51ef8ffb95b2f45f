package dev.datasync.local.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.StackOutside;
import dev.datasync.local.SyncClient;
import dev.datasync.local.UpProcess;
import dev.datasync.local.cli.DataSyncCliAccess;
import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.testing.ChaosTarget;
import dev.datasync.shared.testing.ChaosTarget.FaultMix;
import org.junit.After;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.datasync.local.Waits.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The whole local stack ({@code ./datasync up} as a child process) under faults, with no one replaying anything:
 * <ul>
 *   <li>a real HTTP target ({@link ChaosTarget}) failing a share of its calls with 5xx, 429 + {@code Retry-After},
 *   no answer within {@code delivery_request_timeout_ms}, and connection resets; it heals once the clients are done;
 *   </li>
 *   <li>local-oci failing a share of PutMessages, GetMessages and Secrets (GetSecretBundleByName) calls, through its
 *   {@code PUT /_admin/faults}; cleared when the target heals;</li>
 *   <li>one {@code kill -9} of the stack mid-flow and a restart on the same data dir;</li>
 *   <li>two sources, each with keyed lanes (the same streamKeys in both: a key is (source, streamKey)) and a keyless
 *   one; idempotent lanes resend after an ambiguous answer with the same {@code Idempotency-Key}, plain ones never
 *   resend ({@link Lane}).</li>
 * </ul>
 * The automatic redrive runs on a compressed schedule ({@code DATASYNC_REDRIVE_SCHEDULE}). In the end every
 * acknowledged syncId is delivered or in DeadLetterStream / UnrecoverableErrorStream (0 lost), no key's order is
 * inverted at the target, and a message reaches the target twice only under the same Idempotency-Key
 * ({@link ChaosVerdict} defines each). Duplicates, time to drain and target calls per message are printed.
 * <p>
 * {@code -Dbench.mode=short} (CI default): 300 messages; {@code full}: 1,500. {@code -Dchaos.seed=N} repeats the
 * target's fault draws of a run (printed); the timing of a run (the kill, the stack's own work) is not repeatable.
 */
public class ChaosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean FULL = "full".equals(System.getProperty("bench.mode", "short"));
    private static final int MESSAGES = FULL ? 1_500 : 300;
    /** Between two messages of a lane: the traffic lasts about 17 s (short) or 50 s (full). */
    private static final long LANE_PAUSE_MS = FULL ? 300 : 500;
    private static final String ADMIN_TOKEN = "chaos-admin";
    private static final String SECOND_SOURCE = "chaos-b";
    private static final String KEYLESS = "keyless";
    /** The target's time-out for the delivering functions: short, so a silent call costs a second, not five. */
    private static final String REQUEST_TIMEOUT_MS = "1000";
    /** How long the target holds a silent call: past the delivering functions' request time-out. */
    private static final long SILENT_MS = 3_000;
    /** 20 % of the calls fail while the target is faulty: 5 % each of 5xx, 429, silence and reset. */
    private static final FaultMix TARGET_FAULTS = FaultMix.evenly(0.20, SILENT_MS);
    private static final String OCI_FAULTS = """
            {"PutMessages":{"errorRate":0.05,"status":503},
             "GetMessages":{"errorRate":0.05,"status":500},
             "GetSecretBundleByName":{"errorRate":0.05,"status":503}}""";
    private static final String REDRIVE_SCHEDULE = "1s,2s,5s";
    private static final String REDRIVE_MAX_AGE = "2m";
    private static final long DRAIN_TIMEOUT_MS = FULL ? 300_000 : 120_000;

    private final long seed = Long.getLong("chaos.seed", System.nanoTime());
    private final long startedAt = System.currentTimeMillis();
    private final List<Process> processes = new ArrayList<>();
    private final List<Thread> lanes = new ArrayList<>();
    private final AtomicBoolean stopLanes = new AtomicBoolean();
    private final AtomicReference<String> gateway = new AtomicReference<>();
    private final Ledger ledger = new Ledger();
    private ChaosTarget target;
    private StackOutside outside;

    @After
    public void cleanUp() throws InterruptedException {
        stopLanes.set(true);
        for (Thread t : lanes) {
            t.join(10_000);
        }
        if (outside != null) {
            outside.close();
        }
        processes.forEach(Process::destroyForcibly);
        if (target != null) {
            target.close();
        }
    }

    @Test
    public void everyAcknowledgedMessageEndsDeliveredOrDeadLetteredInKeyOrderWithoutAReplay() throws Exception {
        say((FULL ? "full" : "short") + " mode, " + MESSAGES + " messages, seed "
                + seed + " (-Dchaos.seed=" + seed + " repeats the target's fault draws)");
        target = ChaosTarget.start(seed).faults(TARGET_FAULTS);
        Path dataDir = Files.createTempDirectory("datasync-chaos").resolve("data");
        UpProcess first = up(dataDir, "first");
        String secondCredential = addSource(dataDir, SECOND_SOURCE);
        String localCredential = SourceTokenFile.read(dataDir).orElseThrow();
        // the running gateway learns of a new source within about a second: its lane starts once it is admitted
        awaitAdmitted(secondCredential);
        outside.admin().setFaults(OCI_FAULTS);
        say("stack ready, faults on, clients start");
        startLanes(Map.of("local", localCredential, SECOND_SOURCE, secondCredential));
        await(() -> ledger.acknowledgedCount() >= MESSAGES * 2 / 5, 120_000,
                () -> "40 % of the messages acknowledged before the kill (" + ledger.summary() + ")");
        long deliveredAtKill = target.calls().stream().filter(ChaosTarget.Call::accepted).count();
        int acknowledgedAtKill = ledger.acknowledgedCount();
        first.process().destroyForcibly(); // SIGKILL
        gateway.set(null);
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        outside.close();
        say("kill -9 with " + acknowledgedAtKill + " messages acknowledged, "
                + deliveredAtKill + " target calls accepted");
        Thread.sleep(1_000);
        up(dataDir, "second");
        say("restarted");
        outside.admin().setFaults(OCI_FAULTS); // the fault rules live in the killed local-oci's memory

        for (Thread t : lanes) {
            t.join(FULL ? 600_000 : 180_000);
            assertTrue("a client lane is still sending: " + ledger.summary(), !t.isAlive());
        }
        target.heal();
        outside.admin().setFaults("{}");
        long healedAt = System.currentTimeMillis();
        say("target and local-oci healed; " + ledger.summary());

        Map<MessageId, String> acknowledged = ledger.acknowledged();
        AtomicReference<ChaosVerdict> verdict = new AtomicReference<>();
        await(() -> {
            verdict.set(verdict(acknowledged));
            return verdict.get().lost().isEmpty();
        }, DRAIN_TIMEOUT_MS, 500, () -> "every acknowledged message delivered or dead-lettered, with no replay; "
                + "still unsettled: " + describe(verdict.get().lost()) + "\nso far: " + verdict.get().figures());
        long drainMs = System.currentTimeMillis() - healedAt;
        ChaosVerdict end = verdict.get();
        say(String.format("drained %.1f s after the target healed%n%s", drainMs / 1000.0, end.figures()));

        assertEquals("answers a valid sync request never gets", List.of(), ledger.unexpected());
        assertEquals("lost", Map.of(), end.lost());
        assertEquals("per-key order inversions at the target", List.of(), end.inversions());
        assertEquals("duplicates under another Idempotency-Key", List.of(), end.foreignDuplicates());
    }

    /** A line of the run's story, with the seconds since the test began. */
    private void say(String what) {
        System.out.printf("ChaosTest [%5.1f s] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, what);
    }

    /** Starts {@code up} on the data dir and waits for it; opens the view from outside and points the lanes at it. */
    private UpProcess up(Path dataDir, String name) throws Exception {
        UpProcess up = UpProcess.launch(dataDir, name, Map.of(
                "DATASYNC_ADMIN_TOKEN", ADMIN_TOKEN,
                "DATASYNC_REDRIVE_SCHEDULE", REDRIVE_SCHEDULE,
                "DATASYNC_REDRIVE_MAX_AGE", REDRIVE_MAX_AGE,
                "DATASYNC_DELIVERY_REQUEST_TIMEOUT_MS", REQUEST_TIMEOUT_MS), List.of(), null);
        processes.add(up.process());
        String url = up.awaitReady();
        outside = StackOutside.open(dataDir);
        gateway.set(url);
        return up;
    }

    /**
     * Until the gateway admits {@code credential}: an empty body answers 400 once the source is known, 401 before.
     * Nothing is written either way.
     */
    private void awaitAdmitted(String credential) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        AtomicReference<Integer> last = new AtomicReference<>();
        await(() -> {
            try {
                int status = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.get()
                                        + "/stream/sync")).header("Content-Type", "application/json")
                                .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + credential)
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                last.set(status);
                return status != 401;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, 30_000, () -> "the gateway admitting " + SECOND_SOURCE + " (last answer " + last.get() + ")");
    }

    /** {@code ./datasync sources add NAME --json} on the running stack: the new source's credential. */
    private static String addSource(Path dataDir, String id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCliAccess.execute(List.of("sources", "add", id, "--json"),
                Map.of("DATASYNC_DATA_DIR", dataDir.toString()), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("credential").asText();
    }

    /** Per source: keys k0, k1 idempotent, k2, k3 plain, and a keyless lane (idempotent for the first source only). */
    private void startLanes(Map<String, String> credentials) {
        String runId = Long.toString(seed, 36);
        SyncClient client = new SyncClient(Duration.ofSeconds(10));
        List<Lane.Spec> specs = new ArrayList<>();
        credentials.forEach((source, credential) -> {
            for (int k = 0; k < 4; k++) {
                specs.add(new Lane.Spec(source, credential, "k" + k, "k" + k, k < 2, 0, LANE_PAUSE_MS));
            }
            specs.add(new Lane.Spec(source, credential, KEYLESS, null, source.equals("local"), 0, LANE_PAUSE_MS));
        });
        int perLane = MESSAGES / specs.size();
        for (Lane.Spec s : specs) {
            Lane.Spec spec = new Lane.Spec(s.source(), s.credential(), s.name(), s.key(), s.idempotent(), perLane,
                    s.pauseMs());
            Thread t = new Thread(new Lane(spec, runId, target.baseUrl(), gateway, client, ledger, stopLanes::get),
                    "lane-" + spec.source() + "-" + spec.name());
            t.setDaemon(true);
            lanes.add(t);
            t.start();
        }
    }

    private ChaosVerdict verdict(Map<MessageId, String> acknowledged) {
        Map<String, String> deadLettered = new HashMap<>();
        for (Message m : outside.messages(Topology.DEAD_LETTER_STREAM)) {
            JsonNode envelope = envelope(m);
            deadLettered.put(envelope.path(StreamMessage.SYNC_ID).asText(),
                    envelope.path(PipelineFields.DEAD_LETTER_REASON).asText());
        }
        Set<String> unrecoverable = new HashSet<>();
        for (Message m : outside.messages(Topology.UNRECOVERABLE_ERROR_STREAM)) {
            unrecoverable.add(envelope(m).path(StreamMessage.SYNC_ID).asText());
        }
        return new ChaosVerdict(acknowledged, target.calls(), deadLettered, unrecoverable,
                id -> !id.lane().equals(KEYLESS));
    }

    private static JsonNode envelope(Message m) {
        try {
            return JSON.readTree(m.getValue());
        } catch (IOException e) {
            return JSON.createObjectNode(); // a corrupt envelope names no syncId
        }
    }

    /** The unsettled messages, and where each one's copies are now (which error streams hold its syncId). */
    private String describe(Map<MessageId, String> lost) {
        if (lost == null) {
            return "(not read yet)";
        }
        Map<String, List<String>> where = new HashMap<>();
        for (String stream : Topology.ERROR_STREAMS) {
            for (Message m : outside.messages(stream)) {
                where.computeIfAbsent(envelope(m).path(StreamMessage.SYNC_ID).asText(), k -> new ArrayList<>())
                        .add(stream + "@" + m.getPartition() + "/" + m.getOffset());
            }
        }
        StringBuilder b = new StringBuilder(lost.size() + " message(s):");
        lost.entrySet().stream().limit(20).forEach(e -> b.append("\n  ").append(e.getKey()).append(' ')
                .append(e.getValue()).append(" calls ").append(target.calls().stream()
                        .filter(c -> e.getValue().equals(c.header("Idempotency-Key"))).map(c -> c.outcome().name())
                        .toList()).append(" in ").append(where.getOrDefault(e.getValue(), List.of())));
        return b.toString();
    }
}
