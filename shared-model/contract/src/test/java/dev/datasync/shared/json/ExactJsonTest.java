package dev.datasync.shared.json;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Issue 10: the payload's JSON text is kept exactly as received, and the input is still checked in full. */
public class ExactJsonTest {

    /** What Jackson's tree rewrites: big and tiny numbers, -0, exponents, escapes, key order. */
    static final String PAYLOAD = "{\"a\":12345678901234567.89,\"b\":1e400,\"c\":-0,\"d\":\"\\u00e9\\n\",\"z\":1,"
            + "\"y\":[1.0,2E+3]}";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode exactParse(String text) throws IOException {
        return ExactJson.parse(utf8(text), "p");
    }

    /** An array and object nesting {@code levels} deep, with the rewritten values at the bottom. */
    static String nested(int levels) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            open.append(i % 2 == 0 ? "{\"n" + i + "\": " : "[0.10, ");
            close.insert(0, i % 2 == 0 ? "}" : "]");
        }
        return open + PAYLOAD + close;
    }

    @Test
    public void theValueOfTheExactMemberIsItsTextAsReceivedAndIsWrittenBackUnchanged() throws Exception {
        String doc = "{\"k\":1.50,\"p\":" + PAYLOAD + ",\"after\":\"x\"}";
        JsonNode root = exactParse(doc);
        assertTrue(ExactJson.isExact(root.get("p")));
        assertEquals(PAYLOAD, ExactJson.text(root.get("p")));
        assertArrayEquals(utf8(PAYLOAD), ExactJson.bytes(root.get("p")));
        // the tree around it is Jackson's (1.50 is a double), the payload inside it is the caller's text
        assertEquals("{\"k\":1.5,\"p\":" + PAYLOAD + ",\"after\":\"x\"}", Json.toText(root));
        assertEquals(Json.toText(root), new String(Json.toBytes(root.deepCopy()), StandardCharsets.UTF_8));
        // what the plain tree would have sent
        assertEquals("{\"a\":1.2345678901234568E16,\"b\":\"Infinity\",\"c\":0,\"d\":\"\u00e9\\n\",\"z\":1,"
                + "\"y\":[1.0,2000.0]}", Json.toText(Json.parse(utf8(PAYLOAD))));
    }

    @Test
    public void scalarsWhitespaceAndDeepNestingAreKeptToo() throws Exception {
        for (String value : new String[]{"\"caf\\u00e9 \\\"q\\\" \\/ \ud83d\ude00\"", "-0", "1E+400", "0.1000",
                "true", "false", "[ ]", "{ }", "[1 , 2,\n 3 ]", "{ \"b\" : 2 ,\t\"a\":1 }", nested(150)}) {
            JsonNode root = exactParse("{\"p\":  " + value + "  , \"q\":0}");
            assertEquals(value, ExactJson.text(root.get("p")));
            assertArrayEquals(value, utf8(value), ExactJson.bytes(root.get("p")));
        }
        // null is no payload: a null node, not the text "null"
        JsonNode none = exactParse("{\"p\":null}").get("p");
        assertTrue(none.isNull());
        assertFalse(ExactJson.isExact(none));
    }

    @Test
    public void everyMemberOfThatNameIsExactAndOneInsideAnExactValueIsPartOfItsText() throws Exception {
        String inner = "{\"p\":1.0,\"x\":-0}";
        JsonNode root = exactParse("[{\"m\":{\"p\":" + inner + "}},{\"m\":{\"p\":2E2}}]");
        assertEquals(inner, ExactJson.text(root.get(0).get("m").get("p")));
        assertEquals("2E2", ExactJson.text(root.get(1).get("m").get("p")));
        // no exact member: the same tree as Jackson's own reader
        String doc = "{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":-0.0,\"e\":1e400,"
                + "\"s\":\"\\u00e9\",\"t\":true,\"f\":false,\"n\":null,\"a\":[{},[]]}";
        assertEquals(Json.parse(utf8(doc)), ExactJson.parse(utf8(doc), null));
        assertEquals(Json.toText(Json.parse(utf8(doc))), Json.toText(ExactJson.parse(utf8(doc), "p")));
        assertTrue(ExactJson.parse(utf8(" \n"), "p").isMissingNode());
    }

    private static void refused(String what, byte[] input) {
        try {
            ExactJson.parse(input, "p");
            fail(what + " was accepted");
        } catch (IOException expected) {
            // one well-formed UTF-8 JSON value within the parser's limits, the exact value included
        }
    }

    @Test
    public void theExactValueIsCheckedLikeTheRestOfTheInput() {
        refused("a duplicate name inside it", utf8("{\"p\":{\"a\":1,\"a\":2}}"));
        refused("nesting beyond the limit inside it", utf8("{\"p\":" + "[".repeat(250) + "]".repeat(250) + "}"));
        refused("malformed inside it", utf8("{\"p\":{\"a\":01}}"));
        refused("an unclosed value", utf8("{\"p\":[1,2"));
        refused("a value after it", utf8("{\"p\":1} {\"p\":2}"));
        refused("no UTF-8", new byte[]{'{', '"', 'p', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'});
    }

    @Test
    public void strictReadingKeepsThePayloadExactAndStillRefusesLoneSurrogatesInIt() throws Exception {
        String body = "{\"streamMessage\":{\"p\":" + PAYLOAD + "}}";
        assertEquals(PAYLOAD, ExactJson.text(StrictJson.parse(utf8(body), "p").get("streamMessage").get("p")));
        for (String payload : new String[]{"{\"a\":1,\"a\":1}", "[".repeat(250) + "]".repeat(250), "[1,]"}) {
            try {
                StrictJson.parse(utf8("{\"p\":" + payload + "}"), "p");
                fail(payload + " was accepted");
            } catch (StrictJson.MalformedBody e) {
                assertTrue(e.getMessage(), e.getMessage().contains("not valid JSON"));
            }
        }
        for (String payload : new String[]{"\"\\ud800\"", "{\"a\":[\"x\\udc00\"]}", "{\"k\\ud800\":1}"}) {
            try {
                StrictJson.parse(utf8("{\"p\":" + payload + "}"), "p");
                fail(payload + " was accepted");
            } catch (StrictJson.MalformedBody e) {
                assertTrue(e.getMessage(), e.getMessage().contains("surrogate"));
            }
        }
    }
}
