package dev.datasync.local.stack;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of a data directory by one stack: an OS file lock on {@code <data dir>/stack.lock}, held for the
 * stack's life. The OS drops it when the process dies however it dies (kill -9 included), so unlike a pid file it
 * can neither go stale nor be fooled by a reused pid; and it is taken before anything is started, so two stacks
 * starting at the same moment cannot both get past it.
 */
public final class StackLock implements AutoCloseable {

    /** The data directory is in use by another stack. */
    public static final class InUse extends IllegalStateException {
        InUse(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static StackLock acquire(Path dataDir) throws IOException {
        FileChannel ch = PrivateFiles.openChannel(dataDir.resolve("stack.lock"), StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameJvm) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new InUse(inUseMessage(dataDir));
        }
        return new StackLock(ch, lock);
    }

    static String inUseMessage(Path dataDir) {
        String who = StackInfo.readLive(dataDir).map(s -> " (pid " + s.pid() + ", gateway " + s.gateway() + ")")
                .orElse(" (it is still starting or stopping)");
        return "data dir " + dataDir + " is in use by another running datasync stack" + who
                + " — stop it first (Ctrl-C), or give this one its own DATASYNC_DATA_DIR";
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
