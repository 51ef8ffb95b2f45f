package dev.datasync.localoci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.support.JsonLog;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.Assert.assertEquals;

/**
 * local-oci's log lines have the project's one shape ({@code ts}, {@code level} INFO/WARN/ERROR,
 * {@code component}, {@code event}, then the event's fields), the one the functions' logger writes.
 */
public class JsonLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Asserts the fixed fields, in order, and returns the line. */
    static JsonNode assertCommonShape(String text, String level, String event) throws Exception {
        JsonNode line = JSON.readTree(text);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        assertEquals(text, List.of("ts", "level", "component", "event"), names.subList(0, 4));
        OffsetDateTime.parse(line.get("ts").asText()); // RFC 3339
        assertEquals(level, line.get("level").asText());
        assertEquals("local-oci", line.get("component").asText());
        assertEquals(event, line.get("event").asText());
        return line;
    }

    @Test
    public void linesOnStderrHaveTheCommonShape() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            JsonLog.info("something-started", "port", 1234);
            JsonLog.warn("something-odd", "level", "not-a-level"); // an event field cannot replace a fixed one
            JsonLog.error("something-failed", JsonLog.REASON, "boom");
        } finally {
            System.setErr(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertEquals(1234, assertCommonShape(lines[0], "INFO", "something-started").get("port").asInt());
        assertCommonShape(lines[1], "WARN", "something-odd");
        assertEquals("boom", assertCommonShape(lines[2], "ERROR", "something-failed").get("reason").asText());
    }
}
