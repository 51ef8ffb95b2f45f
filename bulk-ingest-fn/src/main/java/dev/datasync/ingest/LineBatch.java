package dev.datasync.ingest;

import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.StreamWriter;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines between two checkpoints, in file order, with their verdicts: the valid ones' entries fit one PutMessages
 * request ({@link StreamWriter#MAX_REQUEST_BYTES}); once written, their result lines become one part of the result
 * object. Not thread-safe.
 */
final class LineBatch {

    private final List<LineReader.Line> lines = new ArrayList<>();
    private final List<LineChecker.Verdict> verdicts = new ArrayList<>();
    private final List<StreamEntry> entries = new ArrayList<>();
    private int bytes;
    private int refused;
    private int blank;

    /** Whether {@code entry} still fits the batch's PutMessages request (a first entry always does). */
    boolean fits(StreamEntry entry) {
        return entries.isEmpty() || bytes + entry.size() <= StreamWriter.MAX_REQUEST_BYTES;
    }

    void add(LineReader.Line line, LineChecker.Verdict v) {
        lines.add(line);
        verdicts.add(v);
        if (v instanceof LineChecker.Ready r) {
            entries.add(r.entry());
            bytes += r.entry().size();
        } else if (v instanceof LineChecker.Refused) {
            refused++;
        } else {
            blank++;
        }
    }

    int lines() {
        return lines.size();
    }

    /** The valid lines' messages, in file order. */
    List<StreamEntry> entries() {
        return entries;
    }

    int ready() {
        return entries.size();
    }

    int refused() {
        return refused;
    }

    int blank() {
        return blank;
    }

    /** The line after the batch's last: the next checkpoint. */
    long nextLine() {
        return lines.get(lines.size() - 1).number() + 1;
    }

    /** Where the line after the batch starts in the file. */
    long nextByte() {
        return lines.get(lines.size() - 1).end();
    }

    /** The result line of every line, in order; {@code written} holds the entries' results, in order. */
    byte[] results(List<EntryResult> written) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int w = 0;
        for (int i = 0; i < lines.size(); i++) {
            long number = lines.get(i).number();
            LineChecker.Verdict v = verdicts.get(i);
            if (v instanceof LineChecker.Ready r) {
                EntryResult e = written.get(w++);
                out.writeBytes(ResultLines.written(number, r.syncId(), e.partition(), e.offset(), r.traceId()));
            } else if (v instanceof LineChecker.Refused r) {
                out.writeBytes(ResultLines.refused(number, r.error()));
            } else {
                out.writeBytes(ResultLines.blank(number));
            }
        }
        return out.toByteArray();
    }
}
