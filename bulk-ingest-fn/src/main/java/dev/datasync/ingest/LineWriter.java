package dev.datasync.ingest;

import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.StreamWriter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a batch's valid lines to DataSyncStream (one PutMessages per 1 MB, {@link StreamWriter}). An entry OCI did
 * not store is sent again — the same bytes, so the same syncId — up to {@value #ATTEMPTS} attempts in all before the
 * batch counts as not written. The entries of a request are not retracted when one of them fails, so a line sent
 * again may land after a later line of its batch. Thread-safe.
 */
final class LineWriter {

    static final int ATTEMPTS = 3;

    /** Entries PutMessages did not store after {@link #ATTEMPTS}: the batch is not written. */
    static final class WriteFailed extends RuntimeException {
        WriteFailed(String code) {
            super("PutMessages failed: " + code);
        }
    }

    /** Waits between attempts (a test waits nothing). */
    interface Pause {
        void sleep(Duration d);
    }

    private final StreamWriter writer;
    private final String stream;
    private final Pause pause;
    private final JsonLog log;

    LineWriter(StreamWriter writer, String stream, Pause pause, JsonLog log) {
        this.writer = writer;
        this.stream = stream;
        this.pause = pause;
        this.log = log;
    }

    /** @return each entry's result, in order, every one written; @throws WriteFailed otherwise */
    List<EntryResult> write(List<StreamEntry> entries, String object) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<EntryResult> results = new ArrayList<>(writer.put(stream, entries));
        for (int attempt = 2; attempt <= ATTEMPTS; attempt++) {
            List<Integer> failed = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).ok()) {
                    failed.add(i);
                }
            }
            if (failed.isEmpty()) {
                return results;
            }
            log.warn("ingest.write_retry").object(object).count("entries", failed.size())
                    .code(results.get(failed.get(0)).error()).attempt(attempt).write();
            pause.sleep(Duration.ofMillis(250L * attempt));
            List<StreamEntry> again = new ArrayList<>();
            for (int i : failed) {
                again.add(entries.get(i));
            }
            List<EntryResult> retried = writer.put(stream, again);
            for (int j = 0; j < failed.size(); j++) {
                results.set(failed.get(j), retried.get(j));
            }
        }
        for (EntryResult r : results) {
            if (!r.ok()) {
                throw new WriteFailed(r.error());
            }
        }
        return results;
    }
}
