package dev.datasync.shared.replay;

/**
 * The holder's lease ran out or was taken over (it could not be renewed in time): the holder must start no more
 * work on the partition.
 */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String partition, String holder) {
        super(holder + " no longer holds partition " + partition, null, false, false);
    }
}
