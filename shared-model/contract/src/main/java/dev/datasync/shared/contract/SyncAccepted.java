package dev.datasync.shared.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * 202 body of POST /stream/sync: where the message was written. A fan-out message ({@code streamMessage.targets})
 * also lists each target's own {@code {syncId, partition, offset}} in {@code targets} (its syncId
 * {@code <syncId>.<n>}); the top-level partition and offset are its first target's.
 */
public record SyncAccepted(String syncId, String partition, long offset,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<SyncAccepted> targets) {

    public SyncAccepted(String syncId, String partition, long offset) {
        this(syncId, partition, offset, null);
    }
}
