package dev.datasync.localoci;

import dev.datasync.localoci.support.PrivateFiles;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The data directory holds the API private key, a config file naming it and a database with callers' secret
 * contents (tokens, base64): none of it may be readable by other users of the machine.
 */
public class PrivateFilesTest {
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();
    private Path root;

    @Before
    public void createRoot() {
        root = folder.getRoot().toPath();
        if (!PrivateFiles.posix(root)) {
            System.out.println("{\"skipped\":\"PrivateFilesTest\",\"reason\":\"file system has no POSIX modes\"}");
        }
        Assume.assumeTrue("file system has no POSIX permissions", PrivateFiles.posix(root));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void assertPrivate(Path dataDir) throws Exception {
        for (String name : List.of("oci_api_key.pem", "config", "identity.properties", "local-oci.db",
                "local-oci.db-wal", "local-oci.db-shm", "local-oci.lock", "admin-secret", "resources.json")) {
            Path file = dataDir.resolve(name);
            assertTrue(name + " exists while the emulator runs", Files.exists(file));
            assertEquals(name, "rw-------", mode(file));
        }
    }

    @Test
    public void newDataDirectoryAndSecretFilesAreOwnerOnly() throws Exception {
        Path dataDir = root.resolve("parent").resolve("data"); // parents are created too
        try (LocalOci oci = EmulatorRule.start(dataDir)) {
            assertEquals("rwx------", mode(dataDir));
            assertEquals("rwx------", mode(dataDir.getParent()));
            assertPrivate(dataDir);
        }
    }

    @Test
    public void filesAnOlderVersionLeftReadableAreNarrowedAtStart() throws Exception {
        Path dataDir = root.resolve("data");
        try (LocalOci oci = EmulatorRule.start(dataDir)) {
            assertTrue(Files.exists(oci.configFile()));
        }
        for (String name : List.of("oci_api_key.pem", "config", "local-oci.db")) {
            Files.setPosixFilePermissions(dataDir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        }
        try (LocalOci oci = EmulatorRule.start(dataDir)) {
            assertPrivate(dataDir);
        }
    }
}
