package dev.datasync.shared.oci;

/** An Object Storage bucket could not be read or written now: whatever needed it stops and is tried again later. */
public final class BucketUnavailableException extends RuntimeException {
    public BucketUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
