package dev.datasync.shared.routing;

import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.StreamWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends messages to one stream and reports per entry: the i-th element is null when entry i was placed, else why
 * not. Throws when the whole request failed.
 */
@FunctionalInterface
public interface StreamAppender {

    List<String> append(String streamOcid, List<RoutedMessage> messages) throws Exception;

    /** Through the project's {@link StreamWriter} (PutMessages, per-entry results). */
    static StreamAppender of(StreamWriter writer) {
        return (stream, messages) -> {
            List<StreamEntry> entries = new ArrayList<>(messages.size());
            for (RoutedMessage m : messages) {
                entries.add(new StreamEntry(m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8),
                        m.value()));
            }
            List<EntryResult> results = writer.put(stream, entries);
            List<String> errors = new ArrayList<>(results.size());
            for (EntryResult r : results) {
                errors.add(r.ok() ? null : r.error() + (r.httpStatus() > 0 ? " (HTTP " + r.httpStatus() + ")" : ""));
            }
            return errors;
        };
    }
}
