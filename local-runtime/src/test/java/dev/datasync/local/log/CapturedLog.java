package dev.datasync.local.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The runtime's log lines from creation to close (then they go to stderr again), for tests that read them. */
public final class CapturedLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    public CapturedLog() {
        RuntimeLog.redirect(new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    /** The complete lines logged so far whose event is {@code event}. */
    public List<JsonNode> lines(String event) {
        String text = buf.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (n.path("event").asText().equals(event)) {
                    lines.add(n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    @Override
    public void close() {
        RuntimeLog.redirect(System.err);
    }
}
