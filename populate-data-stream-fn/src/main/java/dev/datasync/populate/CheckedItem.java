package dev.datasync.populate;

import dev.datasync.shared.contract.StreamMessage;

/** One sync request after its checks: already answered (a rejecting {@link ItemAnswer}) or {@link Ready} to write. */
sealed interface CheckedItem permits ItemAnswer, CheckedItem.Ready {

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
