package dev.datasync.local.stack;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory holds local-oci's API private key, the admin token and every message: it (and any missing
 * parent) is created owner-only (0700) in the same system call that creates it, so there is no moment in which
 * another user could open it. An existing directory is left as the user made it.
 */
public final class DataDir {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private DataDir() {
    }

    public static Path create(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return POSIX ? Files.createDirectories(dir, ownerOnly("rwx------")) : Files.createDirectories(dir);
    }

    /** Attributes for a new file or directory with these permissions (none on a non-POSIX file system). */
    static FileAttribute<?>[] ownerOnly(String permissions) {
        return POSIX ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
    }
}
