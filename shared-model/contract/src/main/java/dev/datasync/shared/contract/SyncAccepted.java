package dev.datasync.shared.contract;

/**
 * 202 body of POST /stream/sync: where the message was written, and the W3C trace id it travels under (the
 * caller's {@code traceparent}'s, or a new one's) — the id to look for in the target's traces and in our logs.
 */
public record SyncAccepted(String syncId, String partition, long offset, String traceId) {

    /** Without a trace id (an answer recorded before trace ids existed). */
    public SyncAccepted(String syncId, String partition, long offset) {
        this(syncId, partition, offset, null);
    }
}
