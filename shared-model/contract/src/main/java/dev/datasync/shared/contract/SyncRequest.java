package dev.datasync.shared.contract;

/**
 * Body of POST /stream/sync after validation. {@code streamKey} is null when the caller sent none or an empty one
 * (the message is then written without a key).
 */
public record SyncRequest(String streamKey, StreamMessage streamMessage) {
}
