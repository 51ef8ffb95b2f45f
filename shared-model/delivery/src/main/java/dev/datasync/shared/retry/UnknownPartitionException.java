package dev.datasync.shared.retry;

/**
 * The stream has no partition of the requested name: a request that can never succeed (400 naming
 * {@code readPartition}), unlike a stream that cannot be read now ({@link StreamUnavailableException}, 503).
 */
public final class UnknownPartitionException extends RuntimeException {

    public UnknownPartitionException(String partition, Throwable cause) {
        super("the stream has no partition \"" + partition + "\"", cause);
    }
}
