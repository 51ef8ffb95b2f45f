package dev.datasync.local.demo;

import java.util.List;

/**
 * What became of one demo request: the /stream/sync answer, the error stream it first landed in (null if
 * delivered at once), whether it was finally delivered, and what the target saw for it.
 */
public record CaseResult(DemoCase demoCase, int syncStatus, String syncAnswer, String syncId, String firstStream,
                         boolean delivered, List<String> authorizationsSeen, List<String> idempotencyKeysSeen) {

    public String fate() {
        if (syncId == null) {
            return "rejected by /stream/sync (" + syncStatus + ")";
        }
        if (delivered) {
            return firstStream == null ? "delivered" : "delivered after retry (was in " + firstStream + ")";
        }
        return firstStream == null ? "lost?" : "in " + firstStream;
    }
}
