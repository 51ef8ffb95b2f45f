package dev.datasync.shared.config;

/** Bounds on what POST /stream/sync accepts. */
public record SyncLimits(int maxBatchItems, int maxMessageBytes) {
}
