package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.log.RotatingLogFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads the stack's JSON log lines back, oldest file first ({@link RotatingLogFile}): only the lines whose text
 * passes a cheap filter are parsed. Lines that are not JSON objects (SDK chatter) and warm-up lines are skipped.
 */
public final class LogReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String name;
    private final int files;

    public LogReader(Path dir, String name, int files) {
        this.dir = dir;
        this.name = name;
        this.files = files;
    }

    /** Every JSON line whose raw text passes {@code rawFilter}, in the order written. */
    public void forEach(Predicate<String> rawFilter, Consumer<JsonNode> each) {
        for (Path file : RotatingLogFile.filesOldestFirst(dir, name, files)) {
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("{") || !rawFilter.test(line)) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException notJson) {
                        continue;
                    }
                    if (n != null && n.isObject() && !n.path("warmUp").asBoolean(false)) {
                        each.accept(n);
                    }
                }
            } catch (NoSuchFileException rotatedAway) {
                // rotated while we read: its lines are in the next file
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the log file " + file, e);
            }
        }
    }
}
