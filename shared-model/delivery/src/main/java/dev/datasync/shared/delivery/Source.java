package dev.datasync.shared.delivery;

import dev.datasync.shared.log.JsonLog;

/**
 * Where a message was read from: the stream (its name as Service Connector Hub reports it, or its OCID when the
 * Retry function reads it), partition and offset. Carried into logs and into the routed envelope.
 */
public record Source(String stream, String partition, Long offset) {

    /** Adds stream/partition/offset to a log line (nothing when the source is unknown). */
    public static JsonLog.Entry describe(JsonLog.Entry e, Source source) {
        if (source != null) {
            e.stream(source.stream()).partition(source.partition());
            if (source.offset() != null) {
                e.offset(source.offset());
            }
        }
        return e;
    }
}
