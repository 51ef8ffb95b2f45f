package dev.datasync.local.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

public class ControlCharsTest {

    @Test
    public void controlCharactersAreShownAsEscapesAndTheRestIsUnchanged() {
        String plain = "key-1 é ✓ \\ \"";
        assertSame(plain, ControlChars.escape(plain));
        assertEquals("a\\u001b[31mb\\nc\\rd\\te\\u0007f\\u007fg\\u009bh\\u2028",
                ControlChars.escape("a\u001b[31mb\nc\rd\te\u0007f\u007fg\u009bh\u2028"));
    }

    /** No character a terminal acts on: C0, DEL, C1, line separators, bidi controls. */
    private static void assertInert(String printed) {
        for (char c : printed.toCharArray()) {
            assertTrue(String.format("U+%04X in %s", (int) c, printed), c >= 0x20 && c < 0x7F);
        }
    }

    @Test
    public void controlCharactersBecomeVisibleEscapes() {
        assertEquals("a\\u001b[2Jb", ControlChars.escape("a\u001b[2Jb"));
        assertEquals("line1\\nline2\\r\\tend", ControlChars.escape("line1\nline2\r\tend"));
        assertEquals("\\u0007\\u0008\\u0000\\u007f", ControlChars.escape("\u0007\b\u0000\u007f"));
        assertEquals("C1 CSI \\u009b31m", ControlChars.escape("C1 CSI \u009b31m"));
        assertEquals("\\u202eevil\\u2066\\u2028", ControlChars.escape("\u202eevil\u2066\u2028"));
        // OSC 52 (writes the clipboard) and a title change, as a hostile streamKey would carry them
        String hostile = "\u001b]52;c;ZXZpbA==\u0007\u001b]0;pwned\u001b\\";
        assertInert(ControlChars.escape(hostile));
    }

    @Test
    public void ordinaryTextIsUnchanged() {
        String text = "order-42 caf\u00e9 \u65e5\u672c {\"a\":\"b\\n\"}";
        assertSame(text, ControlChars.escape(text));
        assertNull(ControlChars.escape(null));
    }

    @Test
    public void jsonOutputIsExactJsonWithNothingRawForATerminal() throws Exception {
        String key = "k\u001b[31m\u009b\u202e\u00e9\nx";
        String printed = ControlChars.json(Map.of("key", key));
        printed.lines().forEach(ControlCharsTest::assertInert);
        JsonNode back = new ObjectMapper().readTree(printed);
        assertEquals("a JSON reader gets the same string", key, back.get("key").asText());
    }
}
