package dev.datasync.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a JSON Lines file, read from a stream that starts at a known line and byte offset (a resumed file is
 * read from its checkpoint on, not from its start), each with its number and where it ends, so a checkpoint can name
 * the exact byte the next line starts at. Lines end at {@code \n} (a {@code \r} before it is the line's, and JSON
 * reads it as whitespace); the last line needs no newline. A line longer than {@code maxLineBytes} is not kept in
 * memory: it comes back {@code tooLong}, without its bytes. Not thread-safe.
 */
final class LineReader {

    /**
     * @param number the line's number in the file (from 1)
     * @param bytes  the line without its {@code \n}; empty when {@code tooLong}
     * @param end    the offset of the byte after the line's {@code \n} (where the next line starts)
     */
    record Line(long number, byte[] bytes, long end, boolean tooLong) {
    }

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private long nextNumber;
    private long offset;

    LineReader(InputStream in, long firstLine, long startOffset, int maxLineBytes) {
        this.in = in;
        this.nextNumber = firstLine;
        this.offset = startOffset;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the file. */
    Line next() throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        boolean tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (!any) {
                    return null;
                }
                return line(line, length, tooLong);
            }
            any = true;
            int newline = indexOf((byte) '\n', pos, limit);
            int upTo = newline < 0 ? limit : newline;
            int chunk = upTo - pos;
            if (!tooLong) {
                if (length + chunk > maxLineBytes) {
                    tooLong = true;
                } else {
                    if (length + chunk > line.length) {
                        line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
                    }
                    System.arraycopy(buffer, pos, line, length, chunk);
                    length += chunk;
                }
            }
            offset += chunk;
            pos = upTo;
            if (newline >= 0) {
                pos++;
                offset++;
                return line(line, length, tooLong);
            }
        }
    }

    private Line line(byte[] line, int length, boolean tooLong) {
        return new Line(nextNumber++, tooLong ? new byte[0] : Arrays.copyOf(line, length), offset, tooLong);
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.readNBytes(buffer, 0, BUFFER);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
