package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.SyncClient;
import dev.datasync.local.UpProcess;
import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.After;
import org.junit.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.datasync.local.Waits.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * {@code ./datasync up} as a separate process, against a slow target, with a client that keeps sending sync
 * requests the whole time: SIGKILL mid-flow, restart, SIGTERM (Ctrl-C's clean path) mid-flow, restart. Both
 * stops come while requests are in flight at the gateway and deliveries are in flight at the target, with
 * accepted messages not yet delivered. In the end every sync request answered 202 is delivered; a message the
 * target got more than once (a redelivered batch) always carried the same Idempotency-Key.
 * Also: two {@code up} on one data dir at once — exactly one runs, the other exits 2.
 */
public class PipelineStackRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAYLOAD_N = Pattern.compile("\"n\":(\\d+)");

    private final List<Process> processes = new ArrayList<>();
    private final SyncClient sync = new SyncClient(Duration.ofSeconds(30));
    /** payload number → syncId, for every request answered 202 */
    private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
    private final AtomicReference<String> gateway = new AtomicReference<>();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();
    /** the default source's credential, from the first stack's {@code <data dir>/source-token} */
    private volatile String sourceToken;
    private ScriptedTarget target;
    private Thread sender;

    @After
    public void cleanUp() throws InterruptedException {
        sending.set(false);
        if (sender != null) {
            sender.join(5_000);
        }
        processes.forEach(Process::destroyForcibly);
        if (target != null) {
            target.close();
        }
    }

    private UpProcess launch(Path dataDir, String name) throws IOException {
        UpProcess up = UpProcess.launch(dataDir, name, Map.of("DATASYNC_ADMIN_TOKEN", "restart-test-admin"),
                List.of(), null);
        processes.add(up.process());
        return up;
    }

    private UpProcess up(Path dataDir, String name) throws Exception {
        UpProcess up = launch(dataDir, name);
        gateway.set(up.awaitReady());
        return up;
    }

    /** Sends sync request after sync request to whichever gateway is current; failures (stack down) just skip. */
    private void startSender() {
        sender = new Thread(() -> {
            int n = 0;
            while (sending.get()) {
                String gw = gateway.get();
                if (gw == null) {
                    sleep(20);
                    continue;
                }
                int i = n++;
                String body = "{\"streamKey\":\"key-" + (i % 6) + "\",\"streamMessage\":{\"vaultSecretName\":"
                        + "\"restart\",\"targetRestApi\":\"" + target.baseUrl() + "/orders/" + i + "\","
                        + "\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"n\":" + i + "},"
                        + "\"targetRestApiHeaders\":[]}}";
                inFlight.incrementAndGet();
                try {
                    HttpResponse<String> r = sync.sync(gw, body, "Authorization", "Bearer restart-token",
                            SourceHeaders.SOURCE_TOKEN, "Bearer " + sourceToken);
                    if (r.statusCode() == 202) {
                        accepted.put(i, JSON.readTree(r.body()).get("syncId").asText());
                    }
                } catch (IOException e) {
                    // the stack is being killed or restarted: not accepted, so nothing is owed
                } catch (InterruptedException e) {
                    return;
                } finally {
                    inFlight.decrementAndGet();
                }
                sleep(15);
            }
        }, "sync-sender");
        sender.setDaemon(true);
        sender.start();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every request the target got was answered 200. */
    private Set<String> deliveredKeys() {
        return target.received().stream().map(r -> r.header("Idempotency-Key"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private long deliveredAccepted() {
        Set<String> delivered = deliveredKeys();
        return accepted.values().stream().filter(delivered::contains).count();
    }

    /** Mid-flow: some delivered, a backlog accepted but not delivered, a sync request in flight at the gateway. */
    private void awaitMidFlow(long deliveredBefore) throws InterruptedException {
        await(() -> deliveredAccepted() >= deliveredBefore + 3 && accepted.size() - deliveredAccepted() >= 10
                && inFlight.get() > 0, 30_000, () -> "mid-flow (delivered " + deliveredAccepted() + " of "
                + accepted.size() + ", " + inFlight.get() + " sync request(s) in flight)");
    }

    @Test
    public void killAndRestartMidFlowLosesNothing() throws Exception {
        // slow target: deliveries are in flight at every moment
        target = ScriptedTarget.start().fallback(Reply.status(200).delayed(150));
        Path dataDir = Files.createTempDirectory("datasync-restart").resolve("data");

        // two `up` on one fresh data dir at the same moment: exactly one runs, the other refuses (exit 2)
        UpProcess a = launch(dataDir, "a");
        UpProcess b = launch(dataDir, "b");
        String urlA = a.ready().get(90, TimeUnit.SECONDS); // null once a process ends without a ready line
        String urlB = b.ready().get(90, TimeUnit.SECONDS);
        assertTrue("exactly one of two concurrent ups runs: " + urlA + " / " + urlB, (urlA == null) != (urlB == null));
        UpProcess first = urlA != null ? a : b;
        UpProcess loser = first == a ? b : a;
        assertTrue("the second up exits", loser.process().waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, loser.process().exitValue());
        String refusal = Files.readString(loser.err());
        assertTrue(refusal, refusal.contains("in use by another running datasync stack")
                || refusal.contains("already running on data dir"));
        gateway.set(first.awaitReady());
        sourceToken = SourceTokenFile.read(dataDir).orElseThrow();
        startSender();

        awaitMidFlow(0);
        int acceptedAtKill = accepted.size();
        long deliveredAtKill = deliveredAccepted();
        first.process().destroyForcibly(); // SIGKILL
        gateway.set(null);
        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        System.out.println("SIGKILL: " + deliveredAtKill + " of " + acceptedAtKill + " accepted delivered");
        assertTrue("the SIGKILL came mid-flow", deliveredAtKill < acceptedAtKill);

        UpProcess second = up(dataDir, "second");
        awaitMidFlow(deliveredAccepted());
        int acceptedAtTerm = accepted.size();
        long deliveredAtTerm = deliveredAccepted();
        int inFlightAtTerm = inFlight.get();
        second.process().destroy(); // SIGTERM: the clean Ctrl-C path, while the sender keeps going
        assertTrue("clean shutdown within 60 s", second.process().waitFor(60, TimeUnit.SECONDS));
        gateway.set(null);
        System.out.println("SIGTERM: " + deliveredAtTerm + " of " + acceptedAtTerm + " accepted delivered, "
                + inFlightAtTerm + " sync request(s) in flight");
        assertTrue("the SIGTERM came mid-flow", deliveredAtTerm < acceptedAtTerm);

        UpProcess third = up(dataDir, "third");
        await(() -> accepted.size() >= acceptedAtTerm + 5, 30_000, () -> "more accepted after the second restart");
        sending.set(false);
        sender.join(35_000);
        await(() -> deliveredKeys().containsAll(accepted.values()), 60_000, () -> "every accepted message delivered");
        third.process().destroy();
        assertTrue(third.process().waitFor(60, TimeUnit.SECONDS));

        // a message the target got more than once always carried the same Idempotency-Key, the accepted syncId
        Map<Integer, Set<String>> keysByPayload = new HashMap<>();
        for (ScriptedTarget.Received r : target.received()) {
            assertEquals("Bearer restart-token", r.header("Authorization"));
            Matcher m = PAYLOAD_N.matcher(r.bodyText());
            assertTrue(r.bodyText(), m.find());
            keysByPayload.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeSet<>())
                    .add(r.header("Idempotency-Key"));
        }
        keysByPayload.forEach((n, keys) -> {
            assertEquals("payload " + n + " keys " + keys, 1, keys.size());
            if (accepted.containsKey(n)) {
                assertEquals(accepted.get(n), keys.iterator().next());
            }
        });
        long deliveries = target.received().size();
        System.out.println(accepted.size() + " accepted, " + keysByPayload.size() + " distinct delivered, "
                + deliveries + " deliveries (the difference: redelivered batches, same key)");
    }
}
