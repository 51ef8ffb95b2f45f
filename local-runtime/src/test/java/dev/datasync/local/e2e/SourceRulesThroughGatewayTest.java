package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.StackUnderTest;
import dev.datasync.local.cli.DataSyncCliAccess;
import dev.datasync.local.demo.SampleTarget;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Issue 15 through the whole local stack: rules set with {@code ./datasync sources rules}, messages sent to the
 * gateway's {@code /stream/sync} as a source, delivered by the connector and ReadDataStream to the real sample
 * target, failures read back from the error streams and redriven by the stack's automatic redrive (a 2 s schedule
 * here, so a redriven message is tried again within seconds). Each test has its own source, so each has its own
 * rules.
 */
public class SourceRulesThroughGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ERROR_STREAMS = List.of("ServiceUnavailableErrorStream",
            "InternalServerErrorStream", "DefaultErrorStream", "UnrecoverableErrorStream", "DeadLetterStream");

    @ClassRule
    public static final StackUnderTest STACK = new StackUnderTest(Map.of("DATASYNC_REDRIVE_SCHEDULE",
            "2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s"));
    @Rule
    public final TemporaryFolder files = new TemporaryFolder();

    /** What a CLI run printed and its exit status. */
    private record Run(int status, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCliAccess.execute(List.of(args), Map.of("DATASYNC_DATA_DIR",
                STACK.stack().dataDir().toString()), new PrintStream(out, true), new PrintStream(err, true));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run ok(String... args) {
        Run r = cli(args);
        assertEquals(r.err(), 0, r.status());
        return r;
    }

    private Path file(String name, String content) throws Exception {
        Path p = files.getRoot().toPath().resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private String setRules(String source, String rules) throws Exception {
        String said = ok("sources", "rules", source, file(source + "-rules.json", rules).toString()).out();
        assertTrue(said, said.contains("version sha256:"));
        return said.substring(said.indexOf("sha256:"), said.indexOf("sha256:") + 23);
    }

    private static String path(String source) {
        return "/orders/" + source;
    }

    private static String item(String key, String target, String payload) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"vaultSecretName\":\"rules-token\","
                + "\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":" + payload + ",\"targetRestApiHeaders\":[{\"key\":\"Content-Type\","
                + "\"value\":\"application/json\"}]}}";
    }

    /** Sends {@code body} (one item or an array) as {@code credential}'s source; answers the syncIds. */
    private static List<String> send(String credential, String body) throws Exception {
        HttpResponse<String> r = STACK.probe().syncAs(credential, body, "target-token");
        // a source added a moment ago: the running gateway's view of the sources catches up within about a second
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (r.statusCode() == 401 && r.body().contains("not registered") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            r = STACK.probe().syncAs(credential, body, "target-token");
        }
        assertEquals(r.body(), 202, r.statusCode());
        JsonNode answer = JSON.readTree(r.body());
        List<String> ids = new ArrayList<>();
        if (answer.isArray()) {
            answer.forEach(a -> ids.add(a.get("syncId").asText()));
        } else {
            ids.add(answer.get("syncId").asText());
        }
        return ids;
    }

    private static List<SampleTarget.Received> callsOn(String path) {
        return STACK.running().target().received().stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The calls on {@code path} once one matching {@code until} is among them (60 s at most). */
    private static List<SampleTarget.Received> callsOn(String path, Predicate<SampleTarget.Received> until)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (callsOn(path).stream().noneMatch(until) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<SampleTarget.Received> calls = callsOn(path);
        assertTrue("the target got the expected call on " + path + ": " + calls, calls.stream().anyMatch(until));
        return calls;
    }

    private static Predicate<SampleTarget.Received> body(String text) {
        return r -> r.succeeded() && r.body().equals(text);
    }

    /** Every message now in {@code stream} (its value), as {@code ./datasync messages} decodes it. */
    private static List<JsonNode> messages(String stream) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(ok("messages", stream, "--limit", "100000", "--json").out()).forEach(m -> out.add(m.get("value")));
        return out;
    }

    /** The envelope of {@code syncId} in {@code stream}, once it is there (60 s at most). */
    private static JsonNode envelope(String stream, String syncId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            for (JsonNode v : messages(stream)) {
                if (v.path("syncId").asText().equals(syncId)) {
                    return v;
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(syncId + " never reached " + stream);
    }

    @Test
    public void aFilterDropsTheMessagesItShouldAndDeliversTheRestInTheirKeysOrder() throws Exception {
        String credential = STACK.probe().addSource("rules-filter");
        String target = STACK.running().target().baseUrl() + path("rules-filter");
        setRules("rules-filter", "{\"filter\": \"payload.status = 'new'\"}");
        List<String> ids = send(credential, "[" + item("k", target, "{\"n\":1,\"status\":\"new\"}") + ","
                + item("k", target, "{\"n\":2,\"status\":\"old\"}") + ","
                + item("k", target, "{\"n\":3,\"status\":\"new\"}") + ","
                + item("other", target, "{\"n\":4,\"status\":\"old\"}") + "]");
        callsOn(path("rules-filter"), body("{\"n\":3,\"status\":\"new\"}"));
        // a message accepted after the last one was delivered is in a later batch: once it is delivered too, the
        // batch of the filtered ones is settled and committed
        send(credential, item("k", target, "{\"n\":5,\"status\":\"new\"}"));
        List<SampleTarget.Received> calls = callsOn(path("rules-filter"), body("{\"n\":5,\"status\":\"new\"}"));
        assertEquals("the filtered messages were never sent, the rest in their key's order",
                List.of("{\"n\":1,\"status\":\"new\"}", "{\"n\":3,\"status\":\"new\"}", "{\"n\":5,\"status\":\"new\"}"),
                calls.stream().map(SampleTarget.Received::body).toList());
        // trace shows it as filtered: FilteredTraceTest (a stack in a JVM of its own, whose log file is complete)
        for (String stream : ERROR_STREAMS) {
            for (JsonNode v : messages(stream)) {
                String id = v.path("syncId").asText();
                assertFalse("a filtered message is in no error stream: " + stream, id.equals(ids.get(1))
                        || id.equals(ids.get(3)));
            }
        }
    }

    @Test
    public void aTransformReshapesTheBodyInjectsConstantsAndTestShowsExactlyWhatIsDelivered() throws Exception {
        String credential = STACK.probe().addSource("rules-shape");
        String target = STACK.running().target().baseUrl() + path("rules-shape");
        String version = setRules("rules-shape", "{\"transform\": \"{'order': payload.orderid, 'lines':"
                + " $count(payload.lines), 'total': $sum(payload.lines.(qty * price)), 'source': source,"
                + " 'key': key, 'kind': 'order.v1'}\"}");
        String message = item("o-18", target, "{\"orderid\":\"18jan\",\"lines\":[{\"qty\":2,\"price\":1.25},"
                + "{\"qty\":1,\"price\":7}]}");
        JsonNode trial = JSON.readTree(ok("sources", "rules", "rules-shape", "--test",
                file("shape-message.json", message).toString(), "--json").out());
        assertEquals("deliver", trial.get("outcome").asText());
        assertEquals(version, trial.get("rulesVersion").asText());
        String expected = "{\"order\":\"18jan\",\"lines\":2,\"total\":9.5,\"source\":\"rules-shape\","
                + "\"key\":\"o-18\",\"kind\":\"order.v1\"}";
        assertEquals(expected, trial.get("body").asText());
        String text = ok("sources", "rules", "rules-shape", "--test", file("shape-message.json", message).toString())
                .out();
        assertTrue(text, text.contains("the target would receive POST " + target) && text.contains(expected));

        send(credential, message);
        SampleTarget.Received got = callsOn(path("rules-shape"), SampleTarget.Received::succeeded).get(0);
        assertArrayEquals("--test printed the bytes the target received", trial.get("body").asText()
                .getBytes(StandardCharsets.UTF_8), got.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("Bearer target-token", got.authorization());
    }

    @Test
    public void aRuleChangeAppliesToAMessageRedrivenAfterIt() throws Exception {
        String credential = STACK.probe().addSource("rules-change");
        String failing = "/orders/status/500"; // answers 500 until the target heals
        String target = STACK.running().target().baseUrl() + failing;
        String v1 = setRules("rules-change", "{\"transform\": \"{'id': payload.orderid, 'rules': 1}\"}");
        String syncId = send(credential, item("c-1", target, "{\"orderid\":\"change\"}")).get(0);
        callsOn(failing, r -> r.answered() == 500 && r.body().equals("{\"id\":\"change\",\"rules\":1}"));
        JsonNode routed = envelope("InternalServerErrorStream", syncId);
        assertEquals("the envelope records the rules that produced what was sent", v1,
                routed.path("rulesVersion").asText());
        assertEquals("{\"orderid\":\"change\"}", routed.path("targetRestApiPayload").toString());

        String v2 = setRules("rules-change", "{\"transform\": \"{'id': payload.orderid, 'rules': 2}\"}");
        assertFalse(v1.equals(v2));
        // the redrive tries it again under the new rules (still failing): from then on no pass reads the old ones
        callsOn(failing, r -> r.answered() == 500 && r.body().equals("{\"id\":\"change\",\"rules\":2}"));
        STACK.running().target().heal();

        // no replay: the automatic redrive delivers it to the healed target, with the rules in force
        List<SampleTarget.Received> delivered = callsOn(failing, SampleTarget.Received::succeeded).stream()
                .filter(SampleTarget.Received::succeeded).toList();
        assertEquals("the redrive used the rules in force", "{\"id\":\"change\",\"rules\":2}",
                delivered.get(0).body());
    }

    @Test
    public void aFailingExpressionRoutesItsMessageAsTransformFailedAndBlocksNoOtherKey() throws Exception {
        String credential = STACK.probe().addSource("rules-fail");
        String target = STACK.running().target().baseUrl() + path("rules-fail");
        String version = setRules("rules-fail", "{\"transform\": \"payload.bad ? $error('order refused by rule')"
                + " : {'id': payload.id}\"}");
        List<String> ids = send(credential, "[" + item("f1", target, "{\"id\":1,\"bad\":true}") + ","
                + item("f2", target, "{\"id\":2}") + "," + item("f1", target, "{\"id\":3}") + "]");
        callsOn(path("rules-fail"), body("{\"id\":2}"));
        callsOn(path("rules-fail"), body("{\"id\":3}"));
        JsonNode routed = envelope("UnrecoverableErrorStream", ids.get(0));
        assertEquals("transformFailed", routed.path("lastError").path("kind").asText());
        assertTrue(routed.toString(), routed.path("lastError").path("reason").asText()
                .contains("order refused by rule"));
        assertEquals(version, routed.path("rulesVersion").asText());
        assertEquals("never sent", 0, routed.path("deliveryAttempts").asInt());
        assertEquals("{\"id\":1,\"bad\":true}", routed.path("targetRestApiPayload").toString());
    }

    @Test
    public void anOverBudgetExpressionIsStoppedAndRoutedAsTransformFailed() throws Exception {
        String credential = STACK.probe().addSource("rules-budget");
        String target = STACK.running().target().baseUrl() + path("rules-budget");
        setRules("rules-budget", "{\"transform\": \"payload.loop ? ($f := function($n) { $f($n + 1) }; $f(0))"
                + " : payload\"}");
        List<String> ids = send(credential, "[" + item("b1", target, "{\"loop\":true}") + ","
                + item("b2", target, "{\"loop\":false}") + "]");
        callsOn(path("rules-budget"), body("{\"loop\":false}"));
        JsonNode routed = envelope("UnrecoverableErrorStream", ids.get(0));
        assertEquals("transformFailed", routed.path("lastError").path("kind").asText());
        String reason = routed.path("lastError").path("reason").asText();
        assertTrue(reason, reason.contains("budget"));
        assertTrue(callsOn(path("rules-budget")).stream().noneMatch(r -> r.body().contains("true")));
    }

    @Test
    public void rulesThatDoNotCompileAreRefusedNamingTheExpressionAndThePosition() throws Exception {
        STACK.probe().addSource("rules-bad");
        Run transform = cli("sources", "rules", "rules-bad",
                file("bad-transform.json", "{\"filter\": \"true\", \"transform\": \"{'id': payload.id\"}").toString());
        assertEquals(transform.err(), 2, transform.status());
        assertTrue(transform.err(), transform.err().contains("transform expression, position 17"));
        Run filter = cli("sources", "rules", "rules-bad",
                file("bad-filter.json", "{\"filter\": \"payload.status = \"}").toString());
        assertEquals(2, filter.status());
        assertTrue(filter.err(), filter.err().contains("filter expression, position 17"));
        for (String bad : List.of("{\"filtre\": \"true\"}", "[]", "{}", "not json")) {
            Run r = cli("sources", "rules", "rules-bad", file("bad.json", bad).toString());
            assertEquals(bad + ": " + r.err(), 2, r.status());
        }
        assertEquals(2, cli("sources", "rules", "no-such-source", file("ok.json", "{\"filter\":\"true\"}")
                .toString()).status());
        assertEquals(2, cli("sources", "rules", "rules-bad").status());
        // nothing was set
        String message = item("x", STACK.running().target().baseUrl() + path("rules-bad"), "{\"a\":1}");
        String said = ok("sources", "rules", "rules-bad", "--test", file("m.json", message).toString()).out();
        assertTrue(said, said.startsWith("source rules-bad has no rules"));
        Run badMessage = cli("sources", "rules", "rules-bad", "--test", file("m2.json", "{\"streamKey\":1}")
                .toString());
        assertEquals(badMessage.err(), 2, badMessage.status());
    }

    @Test
    public void messagesWithoutRulesAreByteExactAndTestSaysFiltered() throws Exception {
        String credential = STACK.probe().addSource("rules-none");
        String target = STACK.running().target().baseUrl() + path("rules-none");
        String exact = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\",\"z\":1, \"y\":[1.0,2E+3]}";
        // rules set, then cleared: the source has none again
        setRules("rules-none", "{\"filter\": \"false\"}");
        String said = ok("sources", "rules", "rules-none", "--test",
                file("none.json", item("n", target, exact)).toString()).out();
        assertTrue(said, said.contains("the message would be filtered"));
        assertTrue(ok("sources", "rules", "rules-none", "--clear").out().contains("cleared"));
        send(credential, item("n", target, exact));
        assertArrayEquals(exact.getBytes(StandardCharsets.UTF_8),
                callsOn(path("rules-none"), SampleTarget.Received::succeeded).get(0).body()
                        .getBytes(StandardCharsets.UTF_8));
    }
}
