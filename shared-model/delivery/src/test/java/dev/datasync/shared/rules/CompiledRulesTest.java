package dev.datasync.shared.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.contract.Header;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.ExactJson;
import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Issue 15: what one version of a source's rules makes of a message, within its budget. */
public class CompiledRulesTest {

    private static final RulesSettings BUDGET = RulesSettings.DEFAULT;
    private static final String PAYLOAD = "{\"orderid\":\"18jan\",\"amount\":12345678901234567.89,\"status\":\"new\","
            + "\"lines\":[{\"sku\":\"a\",\"qty\":2},{\"sku\":\"b\",\"qty\":1}]}";

    private static StreamMessage message(String payload, List<Header> headers) throws Exception {
        JsonNode exact = ExactJson.parse(("{\"p\":" + payload + "}").getBytes(StandardCharsets.UTF_8), "p").get("p");
        return new StreamMessage("orders-token", "https://orders.example.com/api", "POST", exact, headers,
                "sync-1", Instant.parse("2026-12-07T08:00:00Z"), "orders-app", Map.of());
    }

    private static CompiledRules rules(String filter, String transform) throws RulesException {
        RulesFile file = new RulesFile(filter, transform);
        return CompiledRules.compile(file, RulesVersion.of(file.toBytes()));
    }

    private static String sent(RulesVerdict v) {
        assertTrue("sent: " + v, v instanceof RulesVerdict.Send);
        return new String(((RulesVerdict.Send) v).body(), StandardCharsets.UTF_8);
    }

    @Test
    public void aTransformReshapesTheBodyAndInjectsConstants() throws Exception {
        CompiledRules r = rules(null, "{\"id\": payload.orderid, \"total\": payload.amount, \"from\": source,"
                + " \"ref\": syncId, \"at\": receivedAt, \"key\": key, \"kind\": \"order\", \"skus\": payload.lines.sku,"
                + " \"type\": headers.`Content-Type`}");
        String text = sent(r.judge(message(PAYLOAD, List.of(new Header("Content-Type", "application/json"))),
                "order-18", BUDGET));
        JsonNode body = Json.parse(text.getBytes(StandardCharsets.UTF_8));
        assertEquals("18jan", body.get("id").asText());
        assertTrue("the decimal passes with its digits: " + text, text.contains("\"total\":12345678901234567.89,"));
        assertEquals("orders-app", body.get("from").asText());
        assertEquals("sync-1", body.get("ref").asText());
        assertEquals("2026-12-07T08:00:00Z", body.get("at").asText());
        assertEquals("order-18", body.get("key").asText());
        assertEquals("order", body.get("kind").asText());
        assertEquals("[\"a\",\"b\"]", body.get("skus").toString());
        assertEquals("application/json", body.get("type").asText());
    }

    @Test
    public void aFilterDropsWhatItRejectsAndPassesTheRestUnchanged() throws Exception {
        CompiledRules r = rules("payload.status = 'new'", null);
        RulesVerdict pass = r.judge(message(PAYLOAD, List.of()), null, BUDGET);
        assertTrue(pass instanceof RulesVerdict.Send);
        assertNull("no transform: the payload goes as received", ((RulesVerdict.Send) pass).body());
        RulesVerdict drop = r.judge(message(PAYLOAD.replace("\"new\"", "\"old\""), List.of()), null, BUDGET);
        assertTrue(drop instanceof RulesVerdict.Filtered);
        assertEquals(r.version(), drop.version());
    }

    @Test
    public void aFilterThatGivesNoBooleanFailsTheMessageInsteadOfGuessing() throws Exception {
        RulesVerdict v = rules("payload.missing", null).judge(message(PAYLOAD, List.of()), null, BUDGET);
        assertTrue(v instanceof RulesVerdict.Failed);
        assertEquals("filter", ((RulesVerdict.Failed) v).expression());
        assertTrue(((RulesVerdict.Failed) v).reason(), ((RulesVerdict.Failed) v).reason().contains("no value"));
    }

    @Test
    public void aFailingExpressionIsAFailureNamingItsExpression() throws Exception {
        RulesVerdict v = rules(null, "payload.orderid + 1").judge(message(PAYLOAD, List.of()), null, BUDGET);
        RulesVerdict.Failed f = (RulesVerdict.Failed) v;
        assertEquals("transform", f.expression());
        assertEquals("T2001", f.code());
        // a library function failing outside JSONata's errors: only its kind, never the data it quoted
        RulesVerdict.Failed number = (RulesVerdict.Failed) rules(null, "$number(payload.orderid)")
                .judge(message(PAYLOAD, List.of()), null, BUDGET);
        assertFalse(number.reason(), number.reason().contains("18jan"));
    }

    @Test
    public void anEndlessExpressionIsStoppedByItsTimeBudget() throws Exception {
        RulesSettings budget = new RulesSettings(Duration.ofMillis(200), 100_000, 1024 * 1024);
        CompiledRules r = rules(null, "($loop := function($n) { $n < 0 ? 0 : $loop($n + 1) }; $loop(0))");
        long start = System.nanoTime();
        RulesVerdict.Failed f = (RulesVerdict.Failed) r.judge(message(PAYLOAD, List.of()), null, budget);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(f.reason(), f.reason().contains("time budget") || f.reason().contains("depth budget")
                || f.reason().contains("too deep"));
        System.out.println("endless expression stopped after " + tookMs + " ms: " + f.reason());
        // a loop that does not recurse: only the clock stops it
        RulesVerdict.Failed spin = (RulesVerdict.Failed) rules(null,
                "$count($map([1..1000000], function($v) { $map([1..1000000], function($w) { $w }) }))")
                .judge(message(PAYLOAD, List.of()), null, budget);
        assertTrue(spin.reason(), spin.reason().contains("time budget of 200 ms"));
    }

    @Test
    public void deepRecursionIsStoppedByItsDepthBudget() throws Exception {
        RulesSettings budget = new RulesSettings(Duration.ofSeconds(10), 50, 1024 * 1024);
        RulesVerdict.Failed f = (RulesVerdict.Failed) rules(null,
                "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000))")
                .judge(message(PAYLOAD, List.of()), null, budget);
        assertTrue(f.reason(), f.reason().contains("depth budget of 50"));
    }

    @Test
    public void aBodyOverTheSizeBudgetIsRefused() throws Exception {
        RulesSettings budget = new RulesSettings(Duration.ofSeconds(2), 200, 1000);
        RulesVerdict.Failed f = (RulesVerdict.Failed) rules(null, "$map([1..500], function($i) { payload.orderid })")
                .judge(message(PAYLOAD, List.of()), null, budget);
        assertTrue(f.reason(), f.reason().contains("over the size budget of 1000"));
    }

    @Test
    public void aTransformWithoutAValueOrWithAFunctionIsRefused() throws Exception {
        assertTrue(rules(null, "payload.nothing").judge(message(PAYLOAD, List.of()), null, BUDGET)
                instanceof RulesVerdict.Failed);
        RulesVerdict.Failed fn = (RulesVerdict.Failed) rules(null, "function($x) { $x }")
                .judge(message(PAYLOAD, List.of()), null, BUDGET);
        assertTrue(fn.reason(), fn.reason().contains("not a JSON value"));
    }

    @Test
    public void rulesNeverSeeHeadersThatCarryCredentials() throws Exception {
        CompiledRules r = rules(null, "headers");
        String seen = sent(r.judge(message(PAYLOAD, List.of(new Header("X-Api-Key", "k1"),
                new Header("X-Auth-Token", "t1"), new Header("Cookie", "c1"), new Header("X-Trace", "ok"))), null,
                BUDGET));
        assertEquals("{\"X-Trace\":\"ok\"}", seen);
    }

    @Test
    public void anExpressionThatDoesNotCompileIsRefusedWithItsNameAndPosition() {
        try {
            rules("payload.status = 'new'", "{\"id\": payload.orderid");
            fail("compiled");
        } catch (RulesException e) {
            assertEquals("transform", e.expression());
            assertEquals(22, e.position());
            assertTrue(e.describe(), e.describe().startsWith("transform expression, position 22: "));
        }
        try {
            rules("payload.status = ", null);
            fail("compiled");
        } catch (RulesException e) {
            assertEquals("filter", e.expression());
            assertEquals(17, e.position());
        }
    }

    @Test
    public void aRulesFileIsExactlyFilterAndTransform() throws Exception {
        assertEquals(new RulesFile("true", null), RulesFile.parse("{\"filter\":\"true\"}".getBytes()));
        for (String bad : List.of("[]", "{}", "{\"filter\":\"true\",\"transfrom\":\"x\"}", "{\"filter\":1}",
                "{\"transform\":\"  \"}", "not json")) {
            try {
                RulesFile.parse(bad.getBytes(StandardCharsets.UTF_8));
                fail("accepted " + bad);
            } catch (RulesException expected) {
                assertFalse(expected.describe().isEmpty());
            }
        }
    }

    @Test
    public void storedRulesThatDoNotCompileFailEveryMessageOfTheirSource() throws Exception {
        byte[] stored = "{\"transform\":\"{\\\"a\\\": \"}".getBytes(StandardCharsets.UTF_8);
        CompiledRules r = CompiledRules.fromStored(stored);
        assertEquals(RulesVersion.of(stored), r.version());
        RulesVerdict.Failed f = (RulesVerdict.Failed) r.judge(message(PAYLOAD, List.of()), null, BUDGET);
        assertTrue(f.reason(), f.reason().contains("transform expression, position"));
    }

    @Test
    public void theVersionIsTheContentHash() {
        assertEquals(RulesVersion.of("{\"filter\":\"true\"}"), RulesVersion.of("{\"filter\":\"true\"}"));
        assertNotEquals(RulesVersion.of("{\"filter\":\"true\"}"), RulesVersion.of("{\"filter\":\"false\"}"));
        assertTrue(RulesVersion.of("x").matches("sha256:[0-9a-f]{16}"));
    }

    /** The three worked examples of func-configs/README.md ("Rules") give what the README says. */
    @Test
    public void theWorkedExamplesOfTheReadme() throws Exception {
        String payload = "{\"orderid\": \"18jan\", \"PO\": \"PO-77\", \"status\": \"new\", \"amount\": 120.50}";
        StreamMessage m = message(payload, List.of(new Header("Content-Type", "application/json")));
        assertEquals("{\"orderId\":\"18jan\",\"purchaseOrder\":\"PO-77\",\"state\":\"new\",\"total\":120.50}",
                sent(rules(null, "{'orderId': payload.orderid, 'purchaseOrder': payload.PO, 'state': payload.status,"
                        + " 'total': payload.amount}").judge(m, "order-18jan", BUDGET)));
        assertEquals("{\"specversion\":\"1.0\",\"type\":\"com.example.order.created\",\"source\":\"orders-app\","
                        + "\"id\":\"sync-1\",\"subject\":\"order-18jan\",\"data\":{\"orderid\":\"18jan\",\"PO\":\"PO-77\","
                        + "\"status\":\"new\",\"amount\":120.50}}",
                sent(rules(null, "{'specversion': '1.0', 'type': 'com.example.order.created', 'source': source,"
                        + " 'id': syncId, 'subject': key, 'data': payload}").judge(m, "order-18jan", BUDGET)));
        CompiledRules filter = rules("payload.status in ['new', 'paid']", null);
        assertTrue(filter.judge(m, "order-18jan", BUDGET) instanceof RulesVerdict.Send);
        assertTrue(filter.judge(message(payload.replace("new", "draft"), List.of()), "order-18jan", BUDGET)
                instanceof RulesVerdict.Filtered);
    }
}
