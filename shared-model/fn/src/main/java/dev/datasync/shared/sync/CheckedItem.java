package dev.datasync.shared.sync;

import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.StreamMessage;

/**
 * One sync request after {@link SyncItemChecker}: {@link Rejected} with the status and error its caller is answered
 * (an HTTP status for {@code /stream/sync}, a line's error for a bulk file), or {@link Ready} to be written.
 */
public sealed interface CheckedItem permits CheckedItem.Rejected, CheckedItem.Ready {

    /** Refused by its checks: nothing of it is stored or written. */
    record Rejected(int status, ApiError error) implements CheckedItem {

        public static Rejected of(int status, String code, String message, String field) {
            return new Rejected(status, new ApiError(code, message, field));
        }
    }

    /**
     * A valid item waiting for its token to be bound (when it names a secret), then to be written.
     *
     * @param key        the stream key (null or empty: written without key)
     * @param stored     the message as stored, with its syncId, receivedAt and sourceId
     * @param value      {@code stored} as the bytes written
     * @param targetHost the target's host, for the log
     * @param vaultName  the Vault secret of its source's {@code vaultSecretName}, null when it names none
     */
    record Ready(String key, StreamMessage stored, byte[] value, String targetHost, String vaultName)
            implements CheckedItem {
    }
}
