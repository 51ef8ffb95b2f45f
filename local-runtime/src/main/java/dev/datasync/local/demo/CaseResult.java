package dev.datasync.local.demo;

/**
 * What became of one demo request: the /stream/sync status and syncId (null if rejected), the error stream it first
 * landed in (null if delivered at once), and whether it was finally delivered.
 */
public record CaseResult(DemoCase demoCase, int syncStatus, String syncId, String firstStream, boolean delivered) {

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
