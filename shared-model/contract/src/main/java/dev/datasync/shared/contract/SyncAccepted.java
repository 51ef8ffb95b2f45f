package dev.datasync.shared.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * 202 body of POST /stream/sync: where the message was written, and the W3C trace id it travels under (the
 * caller's {@code traceparent}'s, or a new one's) — the id to look for in the target's traces and in our logs. A
 * fan-out message ({@code streamMessage.targets}) also lists each target's own {@code {syncId, partition, offset,
 * traceId}} in {@code targets} (its syncId {@code <syncId>.<n>}); the top-level partition and offset are its first
 * target's.
 */
public record SyncAccepted(String syncId, String partition, long offset, String traceId,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<SyncAccepted> targets) {

    /** A single-target message's answer. */
    public SyncAccepted(String syncId, String partition, long offset, String traceId) {
        this(syncId, partition, offset, traceId, null);
    }

    /** Without a trace id (an answer recorded before trace ids existed). */
    public SyncAccepted(String syncId, String partition, long offset) {
        this(syncId, partition, offset, null, null);
    }
}
