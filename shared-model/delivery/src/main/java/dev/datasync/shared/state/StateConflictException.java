package dev.datasync.shared.state;

/** A conditional write lost: the object exists ({@code create}) or is no longer the version named. */
public final class StateConflictException extends RuntimeException {
    public StateConflictException(String objectName) {
        super("state object '" + objectName + "' changed since it was read");
    }
}
