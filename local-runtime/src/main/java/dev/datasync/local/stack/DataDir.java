package dev.datasync.local.stack;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The data directory holds local-oci's API private key, the admin token, the identity provider's signing key and
 * every message: it (and any missing parent, and every directory the stack makes inside it) is created owner-only
 * (0700) in the same system call that creates it, so there is no moment in which another user could open it;
 * every file in it is created 0600 ({@link PrivateFiles}), whatever the umask. An existing directory is left as the
 * user made it.
 */
public final class DataDir {

    private DataDir() {
    }

    public static Path create(Path dir) throws IOException {
        PrivateFiles.createDirectories(dir);
        return dir;
    }
}
