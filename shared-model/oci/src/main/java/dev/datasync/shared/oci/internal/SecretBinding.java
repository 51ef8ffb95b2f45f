package dev.datasync.shared.oci.internal;

import java.time.Instant;

/**
 * What a secret name is bound to in Vault: the state of the secret holding it, the fingerprint of its token, the
 * secret, its recorded last use, and whether this very call created it (true only for the call that did).
 */
public record SecretBinding(State state, String fingerprint, String secretId, Instant lastUsed, boolean created) {

    public enum State {
        /** our secret, usable */
        BOUND,
        /** our secret, scheduled for deletion: a store with its token restores it */
        PENDING_DELETION,
        /** a secret that is not ours */
        UNUSABLE,
        /** Vault refuses the name, yet no secret of ours holds it */
        NAME_UNAVAILABLE
    }

    static final SecretBinding UNUSABLE = new SecretBinding(State.UNUSABLE, null, null, null, false);
    static final SecretBinding NAME_UNAVAILABLE = new SecretBinding(State.NAME_UNAVAILABLE, null, null, null, false);

    /** The same binding as any other call sees it. */
    public SecretBinding notCreated() {
        return new SecretBinding(state, fingerprint, secretId, lastUsed, false);
    }

    /** The binding once a use at {@code recorded} is recorded (which also restores a secret pending deletion). */
    public SecretBinding usedAt(Instant recorded) {
        return new SecretBinding(State.BOUND, fingerprint, secretId, recorded, false);
    }
}
