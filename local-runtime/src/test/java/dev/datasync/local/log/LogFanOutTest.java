package dev.datasync.local.log;

import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.Assert.assertTrue;

/**
 * A stack's log file gets its functions' lines (written to whatever {@code System.err} is) even when someone put
 * back a stderr saved before the fan-out was installed — as a test or the demo does when it restores "its" stream.
 * Before, the fan-out was installed once per JVM and such a restore cut every later stack's file off from its
 * functions, so {@code trace} missed their events depending on the order tests ran in.
 */
public class LogFanOutTest {

    @Test
    public void aStackStartingAfterAnOlderStderrWasRestoredStillGetsItsLines() throws Exception {
        PrintStream before = System.err;
        Path dir = Files.createTempDirectory("fan-out").resolve("logs");
        ByteArrayOutputStream restored = new ByteArrayOutputStream();
        try {
            LogFanOut.install();
            // someone restores a stream saved before the fan-out existed
            System.setErr(new PrintStream(restored, true, StandardCharsets.UTF_8));
            try (RotatingLogFile file = new RotatingLogFile(dir, "datasync.log", 1024 * 1024, 2);
                 AutoCloseable registered = LogFanOut.addFile(file)) {
                System.err.println("{\"event\":\"delivery.delivered\",\"syncId\":\"fan-out-1\"}");
            }
        } finally {
            System.setErr(before);
        }
        String logged = Files.readString(dir.resolve("datasync.log"));
        assertTrue(logged, logged.contains("\"syncId\":\"fan-out-1\""));
        String terminal = restored.toString(StandardCharsets.UTF_8);
        assertTrue("the restored stream still gets the lines as the pass-through: " + terminal,
                terminal.contains("fan-out-1"));
    }
}
