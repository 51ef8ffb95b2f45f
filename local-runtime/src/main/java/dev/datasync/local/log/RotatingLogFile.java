package dev.datasync.local.log;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One log file with size-based rotation: lines are appended to {@code <name>}; when the next line would take it past
 * {@code maxBytes}, {@code <name>.1} … {@code <name>.(files-1)} move up by one (the oldest is dropped) and
 * {@code <name>} becomes {@code <name>.1}. So at most {@code files} files of at most {@code maxBytes} each (a line
 * longer than {@code maxBytes} gets a file of its own). Every file is created 0600 in a 0700 directory. Each line is
 * written whole and flushed, so a crash loses no line that was written.
 */
public final class RotatingLogFile implements AutoCloseable {

    /** {@code <data dir>/logs/datasync.log}: 10 MB per file, 5 files (the current one and four older). */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_FILES = 5;
    public static final String DIRECTORY = "logs";
    public static final String NAME = "datasync.log";

    private final Path dir;
    private final String name;
    private final long maxBytes;
    private final int files;
    private OutputStream out;
    private long size;

    public RotatingLogFile(Path dir, String name, long maxBytes, int files) {
        if (maxBytes < 1 || files < 1) {
            throw new IllegalArgumentException("maxBytes and files must be positive");
        }
        this.dir = dir;
        this.name = name;
        this.maxBytes = maxBytes;
        this.files = files;
    }

    /** The stack's log file: {@code <data dir>/logs/datasync.log}, 10 MB × 5. */
    public static RotatingLogFile ofDataDir(Path dataDir) {
        return new RotatingLogFile(dataDir.resolve(DIRECTORY), NAME, DEFAULT_MAX_BYTES, DEFAULT_FILES);
    }

    /** Every file of the set that exists, oldest first (the order their lines were written in). */
    public static List<Path> filesOldestFirst(Path dir, String name, int files) {
        List<Path> out = new ArrayList<>();
        for (int i = files - 1; i >= 1; i--) {
            Path p = dir.resolve(name + "." + i);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        Path current = dir.resolve(name);
        if (Files.isRegularFile(current)) {
            out.add(current);
        }
        return out;
    }

    /** Appends one line (a newline is added). */
    public synchronized void write(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                open();
            }
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log file " + dir.resolve(name), e);
        }
    }

    private void open() throws IOException {
        PrivateFiles.createDirectories(dir);
        Path current = dir.resolve(name);
        out = PrivateFiles.appending(current);
        size = Files.size(current);
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        Files.deleteIfExists(dir.resolve(name + "." + (files - 1)));
        for (int i = files - 2; i >= 1; i--) {
            Path from = dir.resolve(name + "." + i);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(name + "." + (i + 1)), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        if (files > 1) {
            Files.move(dir.resolve(name), dir.resolve(name + ".1"), StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.delete(dir.resolve(name));
        }
        open();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // every line was flushed when written
            }
            out = null;
        }
    }
}
