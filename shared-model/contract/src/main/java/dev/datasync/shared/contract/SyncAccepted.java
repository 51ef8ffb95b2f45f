package dev.datasync.shared.contract;

/** 202 body of POST /stream/sync: where the message was written. */
public record SyncAccepted(String syncId, String partition, long offset) {
}
