package dev.datasync.localoci.store;

import dev.datasync.localoci.support.PrivateFiles;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All durable state: one SQLite database ({@code local-oci.db}) in WAL mode.
 * <p>
 * Writes go through ONE connection under a lock, each {@link #write} being one transaction that is committed
 * before the method returns; a handler therefore answers only after its change is in the WAL. Because the
 * write is in the OS page cache once {@code COMMIT} returns, a {@code kill -9} of the process cannot lose an
 * acknowledged write ({@code synchronous=NORMAL}; {@code synchronous=FULL} via {@code durableFsync} also
 * survives power loss, at a cost per commit). The single writer also makes per-partition offsets contiguous
 * and strictly increasing without any further locking. Reads use a small pool of separate connections, which
 * WAL lets run concurrently with the writer.
 */
public final class Store implements AutoCloseable {
    public static final String DB_FILE = "local-oci.db";
    private final String url;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;

    public Store(Path dataDir, boolean durableFsync, int readConnections) throws SQLException {
        Path db = dataDir.resolve(DB_FILE).toAbsolutePath();
        // SQLite would create the file with the umask's mode (usually 0644); it holds callers' secret contents,
        // so it is created 0600 here first. SQLite gives the -wal and -shm files the database file's mode.
        try {
            PrivateFiles.ensurePrivate(db);
            PrivateFiles.restrict(db.resolveSibling(DB_FILE + "-wal"));
            PrivateFiles.restrict(db.resolveSibling(DB_FILE + "-shm"));
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + db + " as a private file: " + e.getMessage(), e);
        }
        this.url = "jdbc:sqlite:" + db;
        this.writer = open(durableFsync);
        try (Statement s = writer.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
        }
        writer.setAutoCommit(false);
        this.readers = new ArrayBlockingQueue<>(readConnections);
        for (int i = 0; i < readConnections; i++) {
            Connection reader = open(durableFsync);
            readers.add(reader);
        }
    }

    private Connection open(boolean durableFsync) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=10000");
            s.execute("PRAGMA synchronous=" + (durableFsync ? "FULL" : "NORMAL"));
            s.execute("PRAGMA foreign_keys=ON");
        }
        return c;
    }

    /** Work done with a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} as one committed transaction on the single writer; rolls back if it throws. */
    public <T> T write(SqlWork<T> work) {
        return write(work, () -> { });
    }

    /**
     * As {@link #write(SqlWork)}; {@code onRollback} runs, still under the write lock, if the transaction did
     * not commit. Lets a caller keep an in-memory cache (e.g. next offsets) that is updated inside the
     * transaction consistent with the database.
     */
    public <T> T write(SqlWork<T> work, Runnable onRollback) {
        if (writeLock.isHeldByCurrentThread()) {
            // a nested write would commit the outer transaction half-way
            throw new IllegalStateException("Store.write called inside Store.write");
        }
        writeLock.lock();
        try {
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly();
                onRollback.run();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs read-only {@code work} on a pooled reader (sees every committed write). */
    public <T> T read(SqlWork<T> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(new SQLException("interrupted waiting for a read connection"));
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e);
        } finally {
            readers.add(c);
        }
    }

    /** Creates a service's tables (idempotent DDL: use {@code IF NOT EXISTS}). */
    public void schema(String... ddl) {
        write(c -> {
            try (Statement s = c.createStatement()) {
                for (String statement : ddl) {
                    s.execute(statement);
                }
            }
            return null;
        });
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            closeQuietly(writer);
            Connection c;
            while ((c = readers.poll()) != null) {
                closeQuietly(c);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    /** A storage failure: answered as 500 InternalServerError by the server. */
    public static final class StoreException extends RuntimeException {
        public StoreException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
