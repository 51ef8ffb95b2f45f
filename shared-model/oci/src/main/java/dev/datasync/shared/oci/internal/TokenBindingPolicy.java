package dev.datasync.shared.oci.internal;

import com.oracle.bmc.vault.model.Secret;
import dev.datasync.shared.oci.TokenVault.StoreOutcome;

import java.time.Instant;

/**
 * Which token a secret name holds, and what storing a token under a name comes to. A name holds the token whose
 * salted fingerprint our secret carries in its metadata. The same name with another token is a conflict (a new token
 * comes with a new name), so nobody can make a name whose token they do not hold deliver their messages; a secret
 * without our fingerprint is never adopted. A secret scheduled for deletion still holds its token, and a store of
 * that token restores it. A use is recorded at most once per touch interval ({@link SecretLifecyclePolicy}).
 */
public final class TokenBindingPolicy {

    private final SecretLifecyclePolicy lifecycle;

    public TokenBindingPolicy(SecretLifecyclePolicy lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** The binding a live secret gives its name; {@code pendingDeletion}: the secret is scheduled for deletion. */
    public static SecretBinding bindingOf(Secret secret, boolean pendingDeletion) {
        String fingerprint = TokenSecretMetadata.fingerprint(secret.getMetadata());
        if (fingerprint == null) {
            return SecretBinding.UNUSABLE; // not created by us
        }
        return new SecretBinding(pendingDeletion ? SecretBinding.State.PENDING_DELETION : SecretBinding.State.BOUND,
                fingerprint, secret.getId(), TokenSecretMetadata.lastUsed(secret.getMetadata(),
                secret.getTimeCreated()), false);
    }

    /**
     * What storing {@code token} under a name bound as {@code binding} comes to. {@link StoreOutcome#ALREADY_BOUND}:
     * the name holds this very token, and the use is the caller's to record ({@link #useToRecord}).
     */
    public StoreOutcome outcome(SecretBinding binding, String token) {
        return switch (binding.state()) {
            case UNUSABLE -> StoreOutcome.CONFLICT;
            case NAME_UNAVAILABLE -> StoreOutcome.NAME_UNAVAILABLE;
            case BOUND, PENDING_DELETION -> !TokenFingerprint.matches(binding.fingerprint(), token)
                    ? StoreOutcome.CONFLICT
                    : binding.created() ? StoreOutcome.CREATED : StoreOutcome.ALREADY_BOUND;
        };
    }

    /**
     * Whether a use of a name bound as {@code binding} must be recorded now: its secret is scheduled for deletion, or
     * its recorded use is a whole touch interval old.
     */
    public boolean useToRecord(SecretBinding binding, Instant now) {
        return binding.state() == SecretBinding.State.PENDING_DELETION || lifecycle.touchDue(binding.lastUsed(), now);
    }
}
