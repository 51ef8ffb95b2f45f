package dev.datasync.shared.json;

import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Issue 9 finding 7: bodies that are not strict UTF-8 JSON are refused, never decoded into something else. */
public class StrictJsonTest {

    private static final String BODY = "{\"path\":\"a/b\",\"name\":\"caf\u00e9 \ud83d\ude00\"}";

    private static byte[] bytes(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int v : values) {
            out.write(v);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void refused(String what, byte[] body) {
        try {
            StrictJson.parse(body);
            fail(what + " was accepted");
        } catch (StrictJson.MalformedBody e) {
            assertFalse(e.getMessage().isEmpty());
        }
    }

    @Test
    public void utf8JsonIsReadAsItIs() throws Exception {
        assertEquals("caf\u00e9 \ud83d\ude00", StrictJson.parse(BODY.getBytes(StandardCharsets.UTF_8))
                .get("name").asText());
        assertEquals("\ud83d\ude00", StrictJson.parse(ascii("{\"a\":\"\\ud83d\\ude00\"}")).get("a").asText());
        assertTrue(StrictJson.parse(ascii("  ")).isMissingNode());
    }

    @Test
    public void overlongAndMalformedUtf8AreRefused() {
        // "\xc0\xaf" is an overlong '/': a lenient decoder turns it into a path separator
        refused("overlong /", concat(ascii("{\"path\":\"a"), bytes(0xc0, 0xaf), ascii("b\"}")));
        refused("overlong NUL", concat(ascii("{\"a\":\""), bytes(0xc0, 0x80), ascii("\"}")));
        refused("3-byte overlong", concat(ascii("{\"a\":\""), bytes(0xe0, 0x80, 0xaf), ascii("\"}")));
        refused("lone continuation byte", concat(ascii("{\"a\":\""), bytes(0x80), ascii("\"}")));
        refused("truncated sequence", concat(ascii("{\"a\":\""), bytes(0xe2, 0x82), ascii("\"}")));
        refused("Latin-1", concat(ascii("{\"a\":\"caf"), bytes(0xe9), ascii("\"}")));
        refused("beyond U+10FFFF", concat(ascii("{\"a\":\""), bytes(0xf4, 0x90, 0x80, 0x80), ascii("\"}")));
    }

    @Test
    public void surrogatesAreRefusedWhetherEncodedOrEscapedUnpaired() {
        refused("UTF-8-encoded high surrogate (CESU)", concat(ascii("{\"a\":\""), bytes(0xed, 0xa0, 0x80),
                ascii("\"}")));
        refused("UTF-8-encoded pair (CESU)", concat(ascii("{\"a\":\""), bytes(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80),
                ascii("\"}")));
        refused("lone high escape", ascii("{\"a\":\"x\\ud800\"}"));
        refused("lone low escape", ascii("{\"a\":\"\\udc00x\"}"));
        refused("swapped pair", ascii("{\"a\":\"\\ude00\\ud83d\"}"));
        refused("lone surrogate deep in an array", ascii("[{\"a\":[1,{\"b\":\"\\ud800\"}]}]"));
        refused("lone surrogate in a field name", ascii("{\"k\\ud800\":1}"));
    }

    @Test
    public void utf16AndUtf32BodiesAreRefusedWithOrWithoutByteOrderMark() {
        for (String charset : new String[]{"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"}) {
            refused(charset, BODY.getBytes(Charset.forName(charset)));
        }
        refused("UTF-16LE with BOM", concat(bytes(0xff, 0xfe), BODY.getBytes(Charset.forName("UTF-16LE"))));
        refused("UTF-32BE with BOM", concat(bytes(0, 0, 0xfe, 0xff), BODY.getBytes(Charset.forName("UTF-32BE"))));
        refused("UTF-32LE with BOM", concat(bytes(0xff, 0xfe, 0, 0), BODY.getBytes(Charset.forName("UTF-32LE"))));
        refused("UTF-8 with BOM", concat(bytes(0xef, 0xbb, 0xbf), BODY.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void malformedJsonIsRefused() {
        refused("not JSON", ascii("{not json"));
        refused("trailing tokens", ascii("{\"a\":1} }x"));
        refused("two values", ascii("[1] [2]"));
        refused("raw control character in a string", ascii("{\"a\":\"x\u0001y\"}"));
        refused("duplicate field", ascii("{\"a\":1,\"a\":2}"));
    }
}
