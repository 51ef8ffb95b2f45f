package dev.datasync.local.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.shared.log.JsonLog;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.Assert.assertEquals;

/** The local runtime's log lines have the same shape as the functions' (shared-model JsonLog). */
public class RuntimeLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    public void linesHaveTheProjectShapeWithUpperCaseLevels() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        RuntimeLog.redirect(capture);
        try {
            RuntimeLog log = RuntimeLog.of("connector");
            log.info("connector_started", "stream", "DataSyncStream", "partitions", 2);
            log.warn("read_failed", "partition", "0", "status", 400, "reason", "quote \" and\nnewline");
            log.error("gateway_failure", "code", "IllegalStateException");
        } finally {
            RuntimeLog.redirect(System.err);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size());
        List<String> levels = new ArrayList<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertEquals(List.of("ts", "level", "component", "event"), fieldNames(n).subList(0, 4));
            OffsetDateTime.parse(n.get("ts").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME); // RFC 3339
            assertEquals("connector", n.get("component").asText());
            levels.add(n.get("level").asText());
        }
        assertEquals(List.of("INFO", "WARN", "ERROR"), levels);
        JsonNode warn = JSON.readTree(lines.get(1));
        assertEquals(400, warn.get("status").asInt());
        assertEquals("quote \" and\nnewline", warn.get("reason").asText());

        // the functions' logger: same leading fields, same level words
        List<String> fnLines = new ArrayList<>();
        JsonLog.to(fnLines::add, Clock.systemUTC()).component("read-data-stream-fn").warn("delivery.failed")
                .status(503).write();
        JsonNode fn = JSON.readTree(fnLines.get(0));
        assertEquals(fieldNames(JSON.readTree(lines.get(1))).subList(0, 4), fieldNames(fn).subList(0, 4));
        assertEquals("WARN", fn.get("level").asText());
    }
}
