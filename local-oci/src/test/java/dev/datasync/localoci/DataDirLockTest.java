package dev.datasync.localoci;

import dev.datasync.localoci.store.DataDirLock;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Path;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * One data directory, one emulator: a second start on a directory in use fails clearly instead of sharing the
 * SQLite file (two emulators on one file hand out the same offsets and lose or duplicate messages). The lock
 * goes with its holder: after {@code close()}, and after a {@code kill -9} of the holding process.
 */
public class DataDirLockTest {
    @Rule
    public final TemporaryFolder root = new TemporaryFolder();
    private Path dataDir;

    @Before
    public void createDir() {
        dataDir = root.getRoot().toPath().resolve("data");
    }

    private LocalOci start() throws Exception {
        return EmulatorRule.start(dataDir);
    }

    private void assertSecondStartFails(long holderPid) throws Exception {
        try (LocalOci second = start()) {
            fail("a second emulator started on " + dataDir + " at " + second.baseUrl());
        } catch (DataDirLock.DataDirInUseException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(dataDir.toAbsolutePath().toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("in use by another local-oci (pid " + holderPid + ")"));
        }
    }

    @Test
    public void secondStartInTheSameJvmFailsUntilTheFirstIsClosed() throws Exception {
        try (LocalOci first = start()) {
            assertSecondStartFails(ProcessHandle.current().pid());
            assertNotNull("the first emulator still serves", first.resources());
        }
        try (LocalOci again = start()) {
            assertNotNull(again.baseUrl());
        }
    }

    @Test
    public void anotherProcessHoldsTheDirectoryUntilItIsKilled() throws Exception {
        LocalOciProcess process = LocalOciProcess.start(dataDir, EmulatorRule.projectDeclaration());
        try {
            assertSecondStartFails(process.process.pid());
        } finally {
            process.kill(); // kill -9: no shutdown hook runs, the OS drops the lock
        }
        try (LocalOci again = start()) {
            assertNotNull(again.baseUrl());
        }
    }
}
