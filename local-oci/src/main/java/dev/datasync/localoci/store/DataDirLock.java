package dev.datasync.localoci.store;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Exclusive ownership of a data directory for one emulator's whole life: an OS file lock on
 * {@code <dataDir>/local-oci.lock}. Two emulators on one SQLite file each keep their own in-memory next-offset
 * caches, so they hand out the same offsets and lose or duplicate messages; the lock makes the second one fail
 * at start instead. The OS drops the lock when the holder exits, however it exits ({@code kill -9} included),
 * so a stale lock file never blocks a restart. The holder's pid is written into the file only to name it in
 * the error message; the lock, not the file's content, is what counts.
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = "local-oci.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails with a message naming the directory (and the holder's pid when known). */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PrivateFiles.fileAttributes(file));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another emulator inside this JVM
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holderOf(file);
            channel.close();
            throw new DataDirInUseException("Data directory " + dataDir + " is in use by another local-oci"
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                    + "; stop it or choose another --data-dir");
        }
        try {
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
        } catch (IOException e) {
            lock.release();
            channel.close();
            throw e;
        }
        return new DataDirLock(channel, lock);
    }

    private static String holderOf(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock; the file stays (deleting it would race with a starting emulator that opened it). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Another emulator holds the data directory. */
    public static final class DataDirInUseException extends IOException {
        public DataDirInUseException(String message) {
            super(message);
        }
    }
}
