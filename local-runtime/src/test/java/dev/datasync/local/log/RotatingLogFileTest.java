package dev.datasync.local.log;

import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

public class RotatingLogFileTest {

    @Test
    public void aFullFileRotatesKeepingAtMostTheGivenNumberOfFilesOfAtMostTheGivenSize() throws Exception {
        Path dir = Files.createTempDirectory("rotation").resolve("logs");
        List<String> written = new ArrayList<>();
        try (RotatingLogFile log = new RotatingLogFile(dir, "datasync.log", 100, 3)) {
            for (int i = 0; i < 40; i++) {
                String line = String.format("{\"n\":%03d,\"pad\":\"xxxxxxxxxxxxxxxxxx\"}", i); // 35 bytes + newline
                log.write(line);
                written.add(line);
            }
        }
        List<Path> files = RotatingLogFile.filesOldestFirst(dir, "datasync.log", 3);
        assertEquals(List.of(dir.resolve("datasync.log.2"), dir.resolve("datasync.log.1"), dir.resolve("datasync.log")),
                files);
        assertFalse(Files.exists(dir.resolve("datasync.log.3")));
        List<String> kept = new ArrayList<>();
        for (Path f : files) {
            assertTrue(f + " " + Files.size(f), Files.size(f) <= 100);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            kept.addAll(Files.readAllLines(f));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        // the newest lines, whole and in the order written: two per full file, the current one with what is left
        assertEquals(written.subList(written.size() - kept.size(), written.size()), kept);
        assertTrue(kept.size() >= 5);
    }

    @Test
    public void aReopenedFileAppendsAndCountsWhatIsAlreadyThere() throws Exception {
        Path dir = Files.createTempDirectory("rotation");
        try (RotatingLogFile log = new RotatingLogFile(dir, "x.log", 50, 2)) {
            log.write("a".repeat(39)); // 40 bytes
        }
        try (RotatingLogFile log = new RotatingLogFile(dir, "x.log", 50, 2)) {
            log.write("b".repeat(19)); // would make 60: rotates first
        }
        assertEquals(List.of("a".repeat(39)), Files.readAllLines(dir.resolve("x.log.1")));
        assertEquals(List.of("b".repeat(19)), Files.readAllLines(dir.resolve("x.log")));
    }

    @Test
    public void aLineLongerThanAFileGetsAFileOfItsOwn() throws Exception {
        Path dir = Files.createTempDirectory("rotation");
        try (RotatingLogFile log = new RotatingLogFile(dir, "x.log", 10, 3)) {
            log.write("short");
            log.write("a line longer than ten bytes");
            log.write("next");
        }
        assertEquals(List.of("short"), Files.readAllLines(dir.resolve("x.log.2")));
        assertEquals(List.of("a line longer than ten bytes"), Files.readAllLines(dir.resolve("x.log.1")));
        assertEquals(List.of("next"), Files.readAllLines(dir.resolve("x.log")));
    }
}
