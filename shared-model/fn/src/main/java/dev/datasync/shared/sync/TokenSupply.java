package dev.datasync.shared.sync;

/**
 * How the token of a sync request reaches the pipeline, which decides what {@link SyncItemChecker} asks of its
 * {@code vaultSecretName}.
 */
public enum TokenSupply {
    /** {@code /stream/sync} with an {@code Authorization} header: the item must name the secret to keep it under. */
    WITH_REQUEST,
    /** {@code /stream/sync} without one: an item naming a secret has no token to bind (401). */
    NONE,
    /**
     * A line of a bulk file, which never carries a token: a named secret must be one its source already stored
     * through {@code /stream/sync} (the caller looks it up, after the checks).
     */
    STORED
}
