package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.Secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A secret's metadata as stored. {@code state} is the stored lifecycle state; {@link #stateAt(long)} is what
 * callers see (a PENDING_DELETION secret whose time of deletion has passed is DELETED, without a sweeper).
 *
 * @param revision bumped on every change; the etag is derived from it
 */
public record SecretRecord(long seq, String id, String vaultId, String compartmentId, String keyId, String name,
                           String description, Secret.LifecycleState state, long timeCreatedMillis,
                           Long timeOfDeletionMillis, long currentVersionNumber, SecretRules rules,
                           String metadataJson, String freeformTagsJson, String definedTagsJson, long revision) {

    public Secret.LifecycleState stateAt(long nowMillis) {
        if (state == Secret.LifecycleState.PendingDeletion && timeOfDeletionMillis != null
                && nowMillis >= timeOfDeletionMillis) {
            return Secret.LifecycleState.Deleted;
        }
        return state;
    }

    /** Only ACTIVE secrets can be read, updated or scheduled for deletion. */
    public boolean activeAt(long nowMillis) {
        return stateAt(nowMillis) == Secret.LifecycleState.Active;
    }

    /** A name stays taken until the secret is really deleted (also while PENDING_DELETION, as on OCI). */
    public boolean holdsNameAt(long nowMillis) {
        return stateAt(nowMillis) != Secret.LifecycleState.Deleted;
    }

    public String etag() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((id + ":" + revision).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
