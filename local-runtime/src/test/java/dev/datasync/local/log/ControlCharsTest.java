package dev.datasync.local.log;

import org.junit.Test;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

public class ControlCharsTest {

    @Test
    public void controlCharactersAreShownAsEscapesAndTheRestIsUnchanged() {
        String plain = "key-1 é ✓ \\ \"";
        assertSame(plain, ControlChars.escape(plain));
        assertEquals("a\\u001b[31mb\\nc\\rd\\te\\u0007f\\u007fg\\u009bh\\u2028",
                ControlChars.escape("a\u001b[31mb\nc\rd\te\u0007f\u007fg\u009bh\u2028"));
    }
}
