package dev.datasync.localoci.support;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only the emulator's user may read: the data directory (0700) and what holds secrets — the API private
 * key, the config file naming it, the SQLite database with callers' secret contents (0600). Modes are given AT
 * CREATION, never chmod-ed afterwards, so there is no moment in which another user could open the file. On a
 * file system without POSIX permissions (Windows) files are created plainly: nothing more can be done there.
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    public static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes to create a private file with (none on a non-POSIX file system). */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return posix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates the directory (and missing parents) as 0700. An existing directory is left as it is: it may be
     * one the user chose and shares on purpose; the secret files inside are 0600 regardless.
     */
    public static void createDirectories(Path dir) throws IOException {
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Makes sure {@code file} exists and is 0600: created empty with that mode if missing; an existing file
     * (e.g. from an older version that created it 0644) is narrowed.
     */
    public static void ensurePrivate(Path file) throws IOException {
        try {
            Files.createFile(file, fileAttributes(file));
        } catch (FileAlreadyExistsException e) {
            restrict(file);
        }
    }

    /** Narrows an existing file to 0600; nothing if it is missing or the file system is not POSIX. */
    public static void restrict(Path file) throws IOException {
        if (posix(file) && Files.exists(file) && !Files.getPosixFilePermissions(file).equals(FILE)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Writes {@code content} into a file that is 0600 from its creation on. */
    public static void writeString(Path file, String content) throws IOException {
        ensurePrivate(file);
        Files.writeString(file, content); // truncates and writes; keeps the mode
    }
}
