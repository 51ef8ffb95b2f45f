package dev.datasync.shared.delivery;

import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.log.LogFields;

/**
 * Where a message was read from: the stream (its name as Service Connector Hub reports it, or its OCID when the
 * Retry function reads it), partition and offset. Carried into logs and into the routed envelope.
 */
public record Source(String stream, String partition, Long offset) {

    /**
     * Adds stream/partition/offset to a log line (nothing when the source is unknown). The stream goes in
     * {@code stream} when it is a name and in {@code streamId} when it is an OCID, so each log field keeps one kind
     * of value whichever function read the message.
     */
    public static JsonLog.Entry describe(JsonLog.Entry e, Source source) {
        if (source != null) {
            if (LogFields.isOcid(source.stream())) {
                e.streamId(source.stream());
            } else {
                e.stream(source.stream());
            }
            e.partition(source.partition());
            if (source.offset() != null) {
                e.offset(source.offset());
            }
        }
        return e;
    }
}
