package dev.datasync.shared.oci;

/**
 * Outcome of one entry of a PutMessages call: partition/offset on success, or an error code/message. A whole failed
 * request (HTTP error, network) is reported as a failure of each of its entries, so callers check one thing.
 * {@code httpStatus} is the status of a whole-request failure, 0 otherwise.
 */
public record EntryResult(String partition, Long offset, String error, String errorMessage, int httpStatus) {

    public static EntryResult written(String partition, long offset) {
        return new EntryResult(partition, offset, null, null, 0);
    }

    public static EntryResult failed(String error, String errorMessage, int httpStatus) {
        return new EntryResult(null, null, error, errorMessage, httpStatus);
    }

    public boolean ok() {
        return error == null && offset != null;
    }
}
