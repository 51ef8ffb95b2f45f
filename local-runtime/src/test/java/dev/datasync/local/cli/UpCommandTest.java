package dev.datasync.local.cli;

import dev.datasync.local.stack.StackInfo;
import dev.datasync.local.stack.StackLock;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * {@code up} refuses a data dir a live stack uses, and is not fooled by a stack.json left behind by a killed one
 * whose pid now belongs to another process. (PipelineStackRestartTest starts two {@code up} processes at once.)
 */
public class UpCommandTest {

    private static final ProcessHandle SELF = ProcessHandle.current();

    private static Path dataDirWith(long pid, Instant startedAt) throws Exception {
        Path dir = Files.createTempDirectory("up-refusal");
        new StackInfo("http://127.0.0.1:18080", "http://127.0.0.1:18081", dir.resolve("oci/config"), "DEFAULT",
                pid, startedAt).write(dir);
        return dir;
    }

    private static String[] up(Path dataDir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCli.execute(List.of("up"), Map.of("DATASYNC_DATA_DIR", dataDir.toString(),
                "DATASYNC_PORT", "0"), new PrintStream(out, true), new PrintStream(err, true));
        return new String[]{Integer.toString(status), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    public void stackJsonCountsOnlyWhileItsWriterProcessLives() throws Exception {
        Instant myStart = SELF.info().startInstant().orElseThrow();
        assertTrue(StackInfo.readLive(dataDirWith(SELF.pid(), myStart)).isPresent());
        // the pid is alive but belongs to a process that started after the writer died: a reused pid
        assertFalse(StackInfo.readLive(dataDirWith(SELF.pid(), myStart.minus(Duration.ofHours(3)))).isPresent());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        assertFalse(StackInfo.readLive(dataDirWith(gone.pid(), Instant.now())).isPresent());
    }

    @Test
    public void upRefusesADataDirWithALiveStack() throws Exception {
        Path dir = dataDirWith(SELF.pid(), SELF.info().startInstant().orElseThrow());
        String before = Files.readString(StackInfo.file(dir));
        String[] r = up(dir);
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].startsWith("datasync: a datasync stack is already running on data dir " + dir));
        assertTrue(r[1], r[1].contains("gateway http://127.0.0.1:18080"));
        assertEquals("the live stack's stack.json is left alone", before, Files.readString(StackInfo.file(dir)));
        assertFalse("nothing was started", Files.exists(dir.resolve("oci")));
    }

    @Test
    public void upRefusesADataDirWhoseLockIsHeld() throws Exception {
        Path dir = Files.createTempDirectory("up-locked");
        try (StackLock held = StackLock.acquire(dir)) {
            String[] r = up(dir);
            assertEquals(r[1], "2", r[0]);
            assertTrue(r[1], r[1].contains("data dir " + dir + " is in use by another running datasync stack"));
            assertFalse("nothing was started", Files.exists(dir.resolve("oci")));
            assertFalse(Files.exists(dir.resolve("admin-token")));
        }
    }
}
