package dev.datasync.local.stack;

import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;

/** The data dir is created owner-only, the generated admin token is owner-only, and the token is kept. */
public class AdminTokenTest {

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    public void dataDirAndTokenAreOwnerOnlyFromCreation() throws Exception {
        Path root = Files.createTempDirectory("admin-token-test");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = root.resolve("parent/.datasync");

        String token = AdminToken.resolve(null, dataDir);

        assertEquals("rwx------", perms(root.resolve("parent")));
        assertEquals("rwx------", perms(dataDir));
        assertEquals("rw-------", perms(AdminToken.file(dataDir)));
        assertEquals(token, Files.readString(AdminToken.file(dataDir)).trim());
        assertEquals(token, AdminToken.resolve(null, dataDir));
        assertEquals("from-env", AdminToken.resolve("from-env", dataDir));
        try (var files = Files.list(dataDir)) {
            assertFalse("no temporary file left", files.anyMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    public void anEmptyTokenFileIsReplacedByAnOwnerOnlyOne() throws Exception {
        Path dataDir = Files.createTempDirectory("admin-token-empty");
        Files.writeString(AdminToken.file(dataDir), "\n");
        Files.setPosixFilePermissions(AdminToken.file(dataDir), PosixFilePermissions.fromString("rw-r--r--"));
        String token = AdminToken.resolve(null, dataDir);
        assertNotEquals("", token);
        assertEquals("rw-------", perms(AdminToken.file(dataDir)));
    }
}
