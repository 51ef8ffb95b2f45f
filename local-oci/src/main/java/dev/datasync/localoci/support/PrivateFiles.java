package dev.datasync.localoci.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read or write: data directories (0700) and every file in them (0600) — the API
 * private key, the config file naming it, the SQLite database with callers' secret contents, and the state files
 * other programs trust (resources.json, lock files, outboxes; the local stack's stack.json, tokens, positions).
 * Modes are given AT CREATION, never chmod-ed afterwards, so there is no moment in which another user could open
 * the file; a mode given at creation can only lose bits to the umask, so even under {@code umask 000} nothing is
 * created group- or world-writable. On a file system without POSIX permissions (Windows) files are created
 * plainly: nothing more can be done there.
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

    /**
     * Replaces {@code file} with {@code content} atomically: a temporary file created 0600 next to it, written,
     * forced to disk and renamed over it, so a reader sees the old file or the new one, never half of one.
     */
    public static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp",
                fileAttributes(file));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A file that should be private but that other users could have written. */
    public static final class NotPrivate extends IOException {
        NotPrivate(String message) {
            super(message);
        }
    }

    /**
     * Refuses to trust {@code file} when another user could have written it: it is a symbolic link, belongs to
     * another user, or is writable by group or others. For files another program acts on (a URL to send a token
     * to, the sources a gateway admits). Nothing is checked on a file system without POSIX modes.
     */
    public static void requireOwnerOnly(Path file) throws IOException {
        if (!posix(file)) {
            return;
        }
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
            throw new NotPrivate(file + " is a symbolic link; refusing to trust it");
        }
        String user = System.getProperty("user.name");
        if (!a.owner().getName().equals(user)) {
            throw new NotPrivate(file + " belongs to " + a.owner().getName() + ", not to " + user
                    + "; refusing to trust it");
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new NotPrivate(file + " is writable by other users (" + PosixFilePermissions.toString(
                    a.permissions()) + "); refusing to trust it: chmod 600 it, or delete it if you did not write it");
        }
    }

    /** Opens (creating it 0600 when missing) a channel on {@code file}. */
    public static FileChannel openChannel(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> all = new java.util.HashSet<>(Set.of(options));
        all.add(StandardOpenOption.CREATE);
        return FileChannel.open(file, all, fileAttributes(file));
    }

    /** An output stream appending to {@code file}, created 0600 when missing (logs, outboxes). */
    public static OutputStream appending(Path file) throws IOException {
        return Channels.newOutputStream(openChannel(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }
}
