package dev.datasync.local.log;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one point every log line of the local stack passes: the runtime's {@link RuntimeLog} and the in-process
 * functions' shared-model {@code JsonLog}, which writes to whatever {@code System.err} is (so this becomes
 * {@code System.err}). Each whole line goes to every registered file ({@link #addFile}: a running stack's
 * {@code <data dir>/logs/datasync.log}) and to the terminal sink: by default the process's own stderr unchanged
 * (tests, the benchmarks), for {@code ./datasync up} its short human lines ({@link TerminalLines}) or, with
 * {@code --verbose}, the JSON lines as they are. A line written by a component's own logging API is never changed.
 *
 * <p>Installed once per JVM; several stacks in one JVM (tests) each add their file and each file then gets every
 * stack's lines (their syncIds never meet).
 */
public final class LogFanOut {

    private static final List<RotatingLogFile> FILES = new CopyOnWriteArrayList<>();
    private static volatile PrintStream originalErr;
    private static volatile Consumer<String> terminal;
    private static volatile PrintStream installed;

    private LogFanOut() {
    }

    /** Makes this the JVM's {@code System.err} and {@link RuntimeLog}'s stream (idempotent). */
    public static synchronized void install() {
        if (installed != null) {
            return; // once per JVM: a later install must not wrap a stream someone put in between
        }
        PrintStream previous = System.err;
        originalErr = previous;
        if (terminal == null) {
            terminal = previous::println;
        }
        installed = new PrintStream(new LineSplitter(), true, StandardCharsets.UTF_8);
        System.setErr(installed);
        RuntimeLog.redirect(installed);
    }

    /** Where each line goes besides the files: {@code null} = the stderr this replaced, unchanged. */
    public static synchronized void terminal(Consumer<String> sink) {
        install();
        terminal = sink == null ? originalErr::println : sink;
    }

    /** The stderr the fan-out replaced (what a terminal sink writes to). */
    public static PrintStream originalErr() {
        install();
        return originalErr;
    }

    /** Sends every following line to {@code file} too, until the returned handle is closed. */
    public static AutoCloseable addFile(RotatingLogFile file) {
        install();
        FILES.add(file);
        return () -> {
            FILES.remove(file);
            file.close();
        };
    }

    static void dispatch(String line) {
        for (RotatingLogFile f : FILES) {
            try {
                f.write(line);
            } catch (RuntimeException e) {
                // a full disk must not stop the stack; the terminal still gets the line
            }
        }
        Consumer<String> t = terminal;
        if (t != null) {
            t.accept(line);
        }
    }

    /**
     * Cuts the bytes written to {@code System.err} into lines. {@code PrintStream.println} holds the stream's lock
     * for the text and its newline, so a line is never mixed with another thread's.
     */
    private static final class LineSplitter extends OutputStream {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                buffer.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    buffer.write(b, start, i - start);
                    flushLine();
                    start = i + 1;
                }
            }
            buffer.write(b, start, off + len - start);
        }

        private void flushLine() {
            int n = buffer.size();
            String line = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            if (n > 0 && line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            dispatch(line);
        }
    }
}
