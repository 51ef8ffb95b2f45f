package dev.datasync.shared.json;

import org.junit.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

public class JsonTest {

    private static void refused(String text) {
        try {
            Json.parse(text.getBytes(StandardCharsets.UTF_8));
            fail("parsed although not one JSON value: " + text);
        } catch (IOException expected) {
            // a body is one JSON value and nothing else
        }
    }

    @Test
    public void trailingTokensAfterTheValueAreMalformed() {
        refused("{\"a\":1} }x");
        refused("{\"a\":1} {\"b\":2}");
        refused("[1,2] 3");
        refused("{\"a\":1}]");
    }

    @Test
    public void trailingWhitespaceIsFine() throws IOException {
        assertEquals(1, Json.parse("  {\"a\":1} \n\t ".getBytes(StandardCharsets.UTF_8)).get("a").asInt());
    }
}
