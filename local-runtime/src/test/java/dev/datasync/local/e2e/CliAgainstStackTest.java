package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.OciAdmin;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.Waits;
import dev.datasync.local.cli.DataSyncCliAccess;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.Topology;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * {@code ./datasync} against a real stack (gateway, functions, local-oci, a sample target; automatic redrive off so
 * only the CLI replays): {@code retry}'s exit status and its resume after the last offset replayed, control
 * characters in a streamKey kept off the terminal by {@code messages}, and the OCI SDK's retries under a 503.
 */
public class CliAgainstStackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static SampleTarget target;
    private static StackProbe probe;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE", "false"), settings -> settings);
        stack = running.stack();
        target = running.target();
        probe = new StackProbe(stack);
    }

    @AfterClass
    public static void stop() {
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private record Result(int status, String out, String err) {
    }

    private static Result cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCliAccess.execute(List.of(argv), Map.of("DATASYNC_DATA_DIR", stack.dataDir().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String sync(String key, String path) throws Exception {
        HttpResponse<String> r = probe.syncAs(stack.sourceToken().orElseThrow(), StackProbe.body(key, "cli-token",
                target.baseUrl() + path), "t0k3n");
        assertEquals(r.body(), 202, r.statusCode());
        return JSON.readTree(r.body()).get("syncId").asText();
    }

    private static long retained(String streamName) {
        StreamInspector inspector = new StreamInspector(stack.clients().streamAdmin(), stack.clients().stream());
        String id = stack.errorStreams().stream().filter(es -> es.name().equals(streamName)).findFirst()
                .orElseThrow().ocid();
        long n = 0;
        for (int p = 0; p < inspector.get(id).getPartitions(); p++) {
            n += inspector.retained(id, Integer.toString(p));
        }
        return n;
    }

    private static long callsFor(String syncId, boolean succeeded) {
        return target.received().stream().filter(r -> syncId.equals(r.idempotencyKey()))
                .filter(r -> r.succeeded() == succeeded).count();
    }

    @Test
    public void retryExitsOneWhileMessagesFailAndContinuesAfterTheLastOffsetReplayed() throws Exception {
        List<String> first = new ArrayList<>();
        for (String key : List.of("resume-a", "resume-b", "resume-c")) {
            first.add(sync(key, "/orders/status/404"));
        }
        Waits.await(() -> retained(Topology.DEFAULT_ERROR_STREAM) == 3, 60_000,
                () -> "3 messages in DefaultErrorStream, got " + retained(Topology.DEFAULT_ERROR_STREAM));

        // the target still answers 404: every message fails again and stays where it is
        Result failing = cli("retry", Topology.DEFAULT_ERROR_STREAM);
        assertEquals(failing.out() + failing.err(), 1, failing.status());
        assertTrue(failing.out(), failing.out().contains("retrying DefaultErrorStream: 3 messages"));
        assertTrue(failing.out(), failing.out().contains("  3 of 3: partition 0 up to offset 2: 0 delivered, 3 failed again"));
        assertTrue(failing.out(), failing.out().contains("3 failed again and stay in DefaultErrorStream"));
        first.forEach(id -> assertEquals(2, callsFor(id, false))); // the first delivery and this replay
        assertTrue(Files.isRegularFile(stack.dataDir().resolve("retry-marks.json")));

        // run again: it continues after offset 2, so nothing is read or sent
        int callsBefore = target.received().size();
        Result again = cli("retry", Topology.DEFAULT_ERROR_STREAM);
        assertEquals(again.out() + again.err(), 0, again.status());
        assertTrue(again.out(), again.out().contains("partition 0 from offset 3 (after the last one replayed"));
        assertTrue(again.out(), again.out().contains("done: 0 of 0"));
        assertEquals("nothing was sent again", callsBefore, target.received().size());

        // a new failure lands after the mark; the target heals; the default run replays only that one
        String late = sync("resume-d", "/orders/status/404");
        Waits.await(() -> retained(Topology.DEFAULT_ERROR_STREAM) == 4, 60_000, () -> "the 4th message routed");
        target.heal();
        Result resumed = cli("retry", Topology.DEFAULT_ERROR_STREAM, "--json");
        assertEquals(resumed.out() + resumed.err(), 0, resumed.status());
        JsonNode totals = JSON.readTree(resumed.out());
        assertEquals(resumed.out(), 1, totals.get("messages").asLong());
        assertEquals(resumed.out(), 1, totals.get("delivered").asLong());
        assertEquals(resumed.out(), 0, totals.get("failed").asLong());
        assertEquals(1, callsFor(late, true));
        first.forEach(id -> assertEquals("not replayed by default", 0, callsFor(id, true)));

        // --from 0 overrides the mark: the three left in place are delivered, the 4th is not sent again
        JsonNode all = JSON.readTree(cli("retry", Topology.DEFAULT_ERROR_STREAM, "--from", "0", "--json").out());
        assertEquals(all.toString(), 3, all.get("delivered").asLong());
        assertEquals(all.toString(), 1, all.get("alreadyDelivered").asLong());
        first.forEach(id -> assertEquals(1, callsFor(id, true)));
        assertEquals(1, callsFor(late, true));
    }

    @Test
    public void messagesShowsControlCharactersInAStreamKeyAsEscapes() throws Exception {
        String key = "evil\u001b]0;pwned\u0007\u001b[2J\nfake-line\r\u009b31m";
        HttpResponse<String> r = probe.syncAs(stack.sourceToken().orElseThrow(), "{\"streamKey\":"
                + JSON.writeValueAsString(key) + ",\"streamMessage\":{\"vaultSecretName\":\"esc-token\","
                + "\"targetRestApi\":\"" + target.baseUrl() + "/orders/ok\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"note\":\"\\u001b[31mred\\u009b\"},\"targetRestApiHeaders\":[]}}", "t0k3n");
        assertEquals(r.body(), 202, r.statusCode());
        String partition = JSON.readTree(r.body()).get("partition").asText();
        Result text = cli("messages", Topology.DATA_STREAM, "--partition", partition, "--limit", "1000");
        assertEquals(text.err(), 0, text.status());
        String line = Arrays.stream(text.out().split("\n")).filter(l -> l.contains("evil")).findFirst().orElseThrow();
        for (char c : text.out().toCharArray()) {
            assertTrue(String.format("U+%04X reached the terminal", (int) c),
                    c == '\n' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f)));
        }
        assertTrue(line, line.contains("key=evil\\u001b]0;pwned\\u0007\\u001b[2J\\nfake-line\\r\\u009b31m "));
        assertFalse("the newline in the key did not start a line", text.out().lines().anyMatch(l -> l.startsWith("fake-line")));
        // --json keeps the exact key for a program
        JsonNode json = JSON.readTree(cli("messages", Topology.DATA_STREAM, "--partition", partition, "--limit",
                "1000", "--json").out());
        boolean found = false;
        for (JsonNode m : json) {
            found |= key.equals(m.path("key").asText());
        }
        assertTrue(json.toString(), found);
    }

    @Test
    public void theCliRetriesOciServiceUnavailableAsTheSdkDoes() throws Exception {
        OciAdmin admin = new OciAdmin(stack.ociUrl(), stack.dataDir());
        admin.setFaults("{\"GetStream\":{\"errorRate\":1.0,\"status\":503}}");
        AtomicInteger status = new AtomicInteger(-1);
        Thread command = new Thread(() -> status.set(cli("messages", Topology.DATA_STREAM, "--limit", "1").status()),
                "cli-under-503");
        try {
            command.start();
            // the command is backing off between attempts in the SDK's retrier; a command without SDK retries would
            // have ended with the first 503 instead
            Waits.await(() -> !command.isAlive() || inRetrierBackoff(command), 60_000,
                    () -> "the command never backed off in the SDK's retrier");
            assertTrue("the command ended at the first 503 (status " + status.get() + ")", command.isAlive());
        } finally {
            admin.setFaults("{}");
        }
        command.join(120_000);
        assertEquals("the retried GetStream succeeded once local-oci answered again", 0, status.get());
    }

    /**
     * Some thread sleeps in the SDK's backoff: the SDK 3 retrier ({@code BmcGenericRetrier}) waits between attempts
     * through a {@code GenericWaiter} on its async executor while the calling thread waits for the result. Nothing
     * else in this JVM uses SDK waiters (the stack's own clients do not retry).
     */
    private static boolean inRetrierBackoff(Thread command) {
        return command.isAlive() && Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING)
                .anyMatch(e -> Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().startsWith("com.oracle.bmc.waiter.WaiterScheduler")));
    }

}
