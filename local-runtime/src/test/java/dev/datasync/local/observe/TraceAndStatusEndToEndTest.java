package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.cli.DataSyncCliAccess;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/**
 * {@code ./datasync trace}, {@code ./datasync status} and the gateway's {@code /admin/trace/{syncId}} and
 * {@code /admin/status} on one running stack (redrive schedule of 1 s slots, {@code redrive_max_age} 8 s) with three
 * messages to real HTTP targets on 127.0.0.1: one delivered at once; one answered 503 until the test heals its
 * target, so it is routed, redriven and delivered; one answered 500 for ever, so it is dead-lettered; and one of the
 * same key sent while that one waits, so it is held behind it. Every line of the stack is in
 * {@code <data dir>/logs/datasync.log}.
 */
public class TraceAndStatusEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static TestTarget healing;
    private static TestTarget broken;
    private static final AtomicBoolean healed = new AtomicBoolean();
    private static String delivered;
    private static String redriven;
    private static String deadLettered;
    private static String heldBehindIt;

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_REDRIVE_SCHEDULE", "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
                "DATASYNC_REDRIVE_MAX_AGE", "8s"), settings -> settings);
        stack = running.stack();
        probe = new StackProbe(stack);
        healing = TestTarget.answering(() -> healed.get() ? 200 : 503);
        broken = TestTarget.answering(() -> 500);
        String credential = stack.sourceToken().orElseThrow();
        delivered = accept(credential, "key-ok", healing.url("/ok"), () -> healed.set(true));
        awaitState(delivered, "delivered"::equals);
        healed.set(false);
        redriven = accept(credential, "key-flaky", healing.url("/flaky"), () -> { });
        deadLettered = accept(credential, "key-broken", broken.url("/broken"), () -> { });
        awaitState(redriven, s -> s.equals("routed"));
        awaitState(deadLettered, s -> s.equals("routed"));
        // the same key as the failing one, while that one waits: held behind it
        heldBehindIt = accept(credential, "key-broken", broken.url("/broken"), () -> { });
        awaitState(heldBehindIt, s -> !s.equals("accepted"));
        healed.set(true);
        awaitState(redriven, "delivered"::equals);
        awaitState(deadLettered, "deadLettered"::equals);
        awaitState(heldBehindIt, s -> s.equals("deadLettered") || s.equals("unrecoverable"));
    }

    @AfterClass
    public static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{probe, healing, broken, running}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private static String accept(String credential, String key, String url, Runnable before) throws Exception {
        before.run();
        HttpResponse<String> r = probe.syncAs(credential, StackProbe.body(key, "trace-token", url), "t0k3n");
        assertEquals(r.body(), 202, r.statusCode());
        return JSON.readTree(r.body()).get("syncId").asText();
    }

    private static StackView view() {
        return new StackView(stack.clients(), stack.oci().resources(), configOf(), stack.dataDir());
    }

    private static dev.datasync.shared.config.DataSyncConfig configOf() {
        try {
            return StackView.of(stack.clients(), stack.oci().resources(), stack.dataDir()).config();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls the trace (read in-process, as the admin route reads it) until its state passes. */
    private static ObjectNode awaitState(String syncId, Predicate<String> state) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = null;
        while (true) {
            Optional<ObjectNode> t = new MessageTrace(view()).of(syncId);
            last = t.map(n -> n.path("state").asText()).orElse("(unknown)");
            if (state.test(last)) {
                return t.orElseThrow();
            }
            assertTrue("syncId " + syncId + " stayed " + last + ": " + t.map(Object::toString).orElse(""),
                    System.currentTimeMillis() < deadline);
            Thread.sleep(250);
        }
    }

    private static List<JsonNode> events(JsonNode trace, String name) {
        List<JsonNode> out = new ArrayList<>();
        trace.path("events").forEach(e -> {
            if (e.path("event").asText().equals(name)) {
                out.add(e);
            }
        });
        return out;
    }

    private static Cli cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCliAccess.execute(List.of(args), Map.of("DATASYNC_DATA_DIR", stack.dataDir().toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Cli(int status, String out, String err) {
    }

    @Test
    public void aDeliveredMessageIsAcceptedAttemptedOnceAndDelivered() throws Exception {
        Cli c = cli("trace", delivered, "--json");
        assertEquals(c.err(), 0, c.status());
        JsonNode t = JSON.readTree(c.out());
        assertEquals(delivered, t.get("syncId").asText());
        assertEquals("delivered", t.get("state").asText());
        assertEquals("delivered", t.at("/now/state").asText());
        JsonNode accepted = t.get("accepted");
        assertEquals("local", accepted.get("source").asText());
        assertEquals("DataSyncStream", accepted.get("stream").asText());
        assertTrue(accepted.get("partition").isTextual());
        assertTrue(accepted.get("offset").isNumber());
        assertNotNull(accepted.get("at").asText());
        List<JsonNode> attempts = events(t, "attempt");
        assertEquals(t.toString(), 1, attempts.size());
        assertEquals(200, attempts.get(0).get("status").asInt());
        assertTrue(attempts.get(0).get("latencyMs").isNumber());
        assertEquals(1, events(t, "delivered").size());
        assertEquals("accepted", t.at("/events/0/event").asText());
        assertTrue(events(t, "routed").isEmpty());
    }

    @Test
    public void aRedrivenMessageShowsItsFailedAttemptsItsErrorStreamTheRedriveAndTheDelivery() throws Exception {
        JsonNode t = JSON.readTree(cli("trace", redriven, "--json").out());
        assertEquals("delivered", t.get("state").asText());
        List<JsonNode> attempts = events(t, "attempt");
        assertTrue(t.toString(), attempts.stream().anyMatch(a -> a.path("status").asInt() == 503
                || a.path("kind").asText().equals("circuitOpen")));
        assertEquals(200, attempts.get(attempts.size() - 1).get("status").asInt());
        JsonNode routed = events(t, "routed").get(0);
        assertEquals("ServiceUnavailableErrorStream", routed.get("stream").asText());
        assertTrue(routed.get("offset").isNumber());
        assertTrue(routed.get("partition").isTextual());
        assertTrue(routed.toString(), routed.hasNonNull("nextAttemptAt"));
        JsonNode redrive = events(t, "redriven").get(0);
        assertEquals("ServiceUnavailableErrorStream", redrive.get("stream").asText());
        // in the order it happened: accepted, attempt(s), routed, redriven, attempt, delivered
        List<String> order = new ArrayList<>();
        t.get("events").forEach(e -> order.add(e.get("event").asText()));
        assertTrue(order.toString(), order.indexOf("routed") < order.lastIndexOf("redriven"));
        assertTrue(order.toString(), order.lastIndexOf("redriven") < order.indexOf("delivered"));
        assertEquals("delivered", order.get(order.size() - 1));
    }

    @Test
    public void aDeadLetteredMessageSaysWhereItIsAndWhy() throws Exception {
        JsonNode t = JSON.readTree(cli("trace", deadLettered, "--json").out());
        assertEquals("deadLettered", t.get("state").asText());
        JsonNode now = t.get("now");
        assertEquals("DeadLetterStream", now.get("stream").asText());
        assertTrue(now.get("offset").isNumber());
        assertTrue(now.toString(), List.of("maxAge", "scheduleExhausted").contains(now.get("deadLetterReason")
                .asText()));
        assertTrue(events(t, "attempt").stream().anyMatch(a -> a.path("status").asInt() == 500));
        assertEquals("InternalServerErrorStream", events(t, "routed").get(0).get("stream").asText());
        assertFalse(events(t, "redriven").isEmpty());
        JsonNode dead = events(t, "deadLettered").get(0);
        assertEquals("DeadLetterStream", dead.get("stream").asText());
        assertEquals(now.get("deadLetterReason").asText(), dead.get("reason").asText());
    }

    @Test
    public void theTextTraceIsOneLinePerEvent() {
        Cli c = cli("trace", redriven);
        assertEquals(c.err(), 0, c.status());
        System.out.println("./datasync trace " + redriven + "\n" + c.out() + "\n./datasync trace " + heldBehindIt
                + "\n" + cli("trace", heldBehindIt).out() + "\n./datasync status\n" + cli("status").out());
        String[] lines = c.out().split("\n");
        assertTrue(c.out(), lines[0].startsWith("syncId " + redriven));
        assertTrue(c.out(), lines[1].startsWith("now     delivered"));
        assertTrue(c.out(), c.out().contains(" redriven "));
        assertTrue(c.out(), lines.length >= 6);
    }

    @Test
    public void anUnknownSyncIdExitsOneWithAClearLineAndItsControlCharactersEscaped() throws Exception {
        Cli c = cli("trace", "no-such-id\u001b[31m\nforged");
        assertEquals(1, c.status());
        assertEquals(c.out(), 1, c.out().split("\n").length);
        assertTrue(c.out(), c.out().startsWith("no message with syncId no-such-id\\u001b[31m\\nforged"));
        assertFalse(c.out().contains("\u001b"));

        Cli json = cli("trace", "no-such-id", "--json");
        assertEquals(1, json.status());
        JsonNode body = JSON.readTree(json.out());
        assertEquals("NotFound", body.get("code").asText());
        assertEquals("syncId", body.get("field").asText());
    }

    @Test
    public void statusShowsEveryStreamsLagHeldKeysDeadLettersAndTheLastHour() throws Exception {
        Cli c = cli("status", "--json");
        assertEquals(c.err(), 0, c.status());
        JsonNode s = JSON.readTree(c.out());
        assertNotNull(s.get("at").asText());
        JsonNode data = stream(s, "DataSyncStream");
        assertTrue(data.get("ocid").asText().startsWith("ocid1.stream."));
        long retained = 0;
        for (JsonNode p : data.get("partitions")) {
            retained += p.get("retained").asLong();
            // the connector handed every message to read-data-stream-fn
            assertEquals(p.toString(), 0, p.at("/lag/DataSyncStreamToReadDataStream").asLong(-1));
        }
        assertEquals(4, retained);
        JsonNode internal = stream(s, "InternalServerErrorStream");
        long copies = 0;
        for (JsonNode p : internal.get("partitions")) {
            copies += p.get("retained").asLong();
            assertTrue(p.toString(), p.get("lag").has("datasync-redrive"));
            assertTrue(p.toString(), p.get("lag").has("InternalServerErrorStreamToArchive"));
        }
        assertTrue(copies >= 1);
        long deadLetters = deadLetterCount();
        assertEquals(deadLetters, s.get("deadLetters").asLong());
        assertEquals("every key's messages ended", 0, s.get("heldKeys").asLong());
        JsonNode h = s.get("lastHour");
        assertEquals(4, h.get("accepted").asLong());
        assertEquals(2, h.get("delivered").asLong());
        assertEquals(deadLetters, h.get("deadLettered").asLong());
        assertTrue(h.toString(), h.get("failed").asLong() >= 2);
        assertTrue(h.toString(), h.get("routed").asLong() >= 2);

        Cli text = cli("status");
        assertEquals(text.err(), 0, text.status());
        assertTrue(text.out(), text.out().contains("dead letters " + deadLetters));
        assertTrue(text.out(), text.out().contains("DataSyncStreamToReadDataStream 0"));
    }

    /** How many of the two failing messages the traces put in DeadLetterStream (the held one may end unrecoverable). */
    private static long deadLetterCount() throws Exception {
        long n = 0;
        for (String id : List.of(deadLettered, heldBehindIt)) {
            if (JSON.readTree(cli("trace", id, "--json").out()).get("state").asText().equals("deadLettered")) {
                n++;
            }
        }
        return n;
    }

    @Test
    public void aMessageHeldBehindAnEarlierOneOfItsKeyShowsWhichOne() throws Exception {
        JsonNode t = JSON.readTree(cli("trace", heldBehindIt, "--json").out());
        List<JsonNode> held = events(t, "held");
        assertFalse(t.toString(), held.isEmpty());
        assertEquals(deadLettered, held.get(0).get("heldBehind").asText());
        assertEquals("InternalServerErrorStream", held.get(0).get("stream").asText());
        assertTrue(held.get(0).get("offset").isNumber());
        assertTrue(t.toString(), List.of("deadLettered", "unrecoverable").contains(t.get("state").asText()));
    }

    private static JsonNode stream(JsonNode status, String name) {
        for (JsonNode s : status.get("streams")) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stream " + name + " in " + status);
    }

    @Test
    public void theAdminRoutesAnswerTheSameJsonWithTheAdminTokenOnly() throws Exception {
        String token = "Bearer " + stack.adminToken();
        HttpResponse<String> t = probe.get(stack.gatewayUrl() + "/admin/trace/" + delivered,
                SourceHeaders.ADMIN_TOKEN, token);
        assertEquals(t.body(), 200, t.statusCode());
        assertEquals(JSON.readTree(cli("trace", delivered, "--json").out()), JSON.readTree(t.body()));

        HttpResponse<String> unknown = probe.get(stack.gatewayUrl() + "/admin/trace/no-such-id",
                SourceHeaders.ADMIN_TOKEN, token);
        assertEquals(404, unknown.statusCode());
        assertEquals("NotFound", JSON.readTree(unknown.body()).get("code").asText());
        assertEquals("syncId", JSON.readTree(unknown.body()).get("field").asText());

        HttpResponse<String> status = probe.get(stack.gatewayUrl() + "/admin/status", SourceHeaders.ADMIN_TOKEN,
                token);
        assertEquals(status.body(), 200, status.statusCode());
        JsonNode s = JSON.readTree(status.body());
        assertEquals(deadLetterCount(), s.get("deadLetters").asLong());
        assertEquals(JSON.readTree(cli("status", "--json").out()).get("streams").size(), s.get("streams").size());

        for (String path : List.of("/admin/status", "/admin/trace/" + delivered)) {
            HttpResponse<String> none = probe.get(stack.gatewayUrl() + path);
            assertEquals(none.body(), 401, none.statusCode());
            assertEquals("Unauthorized", JSON.readTree(none.body()).get("code").asText());
            assertFalse(none.body().contains(delivered));
            HttpResponse<String> source = probe.get(stack.gatewayUrl() + path, SourceHeaders.SOURCE_TOKEN,
                    "Bearer " + stack.sourceToken().orElseThrow());
            assertEquals(401, source.statusCode());
            HttpResponse<String> wrong = probe.get(stack.gatewayUrl() + path, SourceHeaders.ADMIN_TOKEN,
                    "Bearer not-the-token");
            assertEquals(401, wrong.statusCode());
        }
        assertEquals(404, probe.get(stack.gatewayUrl() + "/admin/trace/", SourceHeaders.ADMIN_TOKEN, token)
                .statusCode());
    }

    @Test
    public void theLogFileHoldsEveryLineOfTheStackOwnerOnly() throws Exception {
        var file = stack.logFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String text = Files.readString(file);
        for (String id : List.of(delivered, redriven, deadLettered, heldBehindIt)) {
            assertTrue(id, text.contains("\"event\":\"sync.accepted\",\"syncId\":\"" + id + "\""));
        }
        assertTrue(text.contains("\"event\":\"stack_ready\"")); // the runtime's own lines too
        assertTrue(text.contains("\"event\":\"message.redriven\""));
    }
}
