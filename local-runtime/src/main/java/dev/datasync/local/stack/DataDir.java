package dev.datasync.local.stack;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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

    /**
     * Creates {@code dir} (and missing parents) owner-only, or uses it as it is.
     * @throws SettingException naming {@code DATASYNC_DATA_DIR} when it cannot be a data directory: a file is in
     *                          the way, it cannot be created, or it cannot be written
     */
    public static Path create(Path dir) throws IOException {
        try {
            PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new SettingException("DATASYNC_DATA_DIR", dir.toString(), "not a usable directory ("
                    + problem(e) + ")", e);
        }
        if (!Files.isWritable(dir)) {
            throw new SettingException("DATASYNC_DATA_DIR", dir.toString(), "not a usable directory (not writable)");
        }
        return dir;
    }

    private static String problem(IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " exists and is not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
