package dev.datasync.shared.oci;

import dev.datasync.shared.routing.RoutedMessage;
import dev.datasync.shared.routing.StreamAppender;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@link StreamAppender} through the project's {@link StreamWriter} (PutMessages, per-entry results). */
public final class StreamWriterAppender implements StreamAppender {

    private final StreamWriter writer;

    public StreamWriterAppender(StreamWriter writer) {
        this.writer = writer;
    }

    @Override
    public List<String> append(String streamOcid, List<RoutedMessage> messages) throws Exception {
        List<StreamEntry> entries = new ArrayList<>(messages.size());
        for (RoutedMessage m : messages) {
            entries.add(new StreamEntry(m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8), m.value()));
        }
        List<EntryResult> results = writer.put(streamOcid, entries);
        List<String> errors = new ArrayList<>(results.size());
        for (EntryResult r : results) {
            errors.add(r.ok() ? null : r.error() + (r.httpStatus() > 0 ? " (HTTP " + r.httpStatus() + ")" : ""));
        }
        return errors;
    }
}
