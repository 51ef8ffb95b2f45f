package dev.datasync.populate;

import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.SyncAccepted;

/**
 * The answer for one sync request of a body, with its HTTP status: accepted (where it was written) or rejected
 * (the error). An item rejected by its checks is answered before anything is written.
 */
record ItemAnswer(int status, SyncAccepted accepted, ApiError error) {

    static ItemAnswer accepted(SyncAccepted where) {
        return new ItemAnswer(202, where, null);
    }

    static ItemAnswer rejected(int status, ApiError error) {
        return new ItemAnswer(status, null, error);
    }

    static ItemAnswer rejected(int status, String code, String message, String field) {
        return rejected(status, new ApiError(code, message, field));
    }

    /** A rejection whose field is placed under a prefix (an array body's item index). */
    ItemAnswer under(String prefix) {
        return rejected(status, error.under(prefix));
    }

    /** What the client gets for this item: {@code {syncId, partition, offset}} or {@code {code, message, field}}. */
    Object body() {
        return accepted != null ? accepted : error;
    }
}
