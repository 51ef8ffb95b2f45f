package dev.datasync.shared.oci.internal;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CancelSecretDeletionRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.vault.responses.GetSecretResponse;
import dev.datasync.shared.oci.VaultUnavailableException;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Keeps a token secret alive because a request just used it: records the use in its metadata (UpdateSecret with
 * metadata only, which creates no secret version) when the recorded one is a touch interval old, and first
 * cancels a scheduled deletion. Every write carries the etag of the read it decided on, so a concurrent sweeper
 * (which schedules deletion with its own etag) and this recorder cannot both win.
 */
public final class SecretUseRecorder {

    private static final int ROUNDS = 4;
    private static final int STATE_POLLS = 10;
    private static final long STATE_POLL_MS = 200;
    private static final Set<Secret.LifecycleState> GONE = Set.of(Secret.LifecycleState.Deleting,
            Secret.LifecycleState.Deleted, Secret.LifecycleState.Failed);
    /** Answers to a write guarded by an etag that mean "changed since it was read". */
    private static final Set<Integer> CHANGED = Set.of(412, 409);

    private final Supplier<Vaults> vaults;
    private final SecretLifecyclePolicy policy;
    private final Clock clock;

    public SecretUseRecorder(Supplier<Vaults> vaults, SecretLifecyclePolicy policy, Clock clock) {
        this.vaults = vaults;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Makes sure secret {@code secretId} is ACTIVE with a recorded use younger than the touch interval.
     * @return the recorded last use
     * @throws SecretGoneException when the secret is deleted or being deleted
     * @throws VaultUnavailableException when Vault does not let us do it now
     */
    public Instant recordUse(String secretId) {
        int writes = 0;
        int waits = 0;
        while (true) {
            GetSecretResponse read = get(secretId);
            Secret secret = read.getSecret();
            Secret.LifecycleState state = secret.getLifecycleState();
            if (GONE.contains(state)) {
                throw new SecretGoneException(secretId);
            }
            Instant now = clock.instant();
            Instant recorded = TokenSecretMetadata.lastUsed(secret.getMetadata(), secret.getTimeCreated());
            if (state == Secret.LifecycleState.Active) {
                if (!policy.touchDue(recorded, now)) {
                    return recorded;
                }
                if (write("UpdateSecret", secretId, () -> vaults.get().updateSecret(UpdateSecretRequest.builder()
                        .secretId(secretId).ifMatch(read.getEtag())
                        .updateSecretDetails(UpdateSecretDetails.builder()
                                .metadata(TokenSecretMetadata.withLastUsed(secret.getMetadata(), now)).build())
                        .build()))) {
                    return now;
                }
            } else if (state == Secret.LifecycleState.PendingDeletion) {
                // the token's owner is back: restore the secret, then record the use (next round)
                write("CancelSecretDeletion", secretId, () -> vaults.get().cancelSecretDeletion(
                        CancelSecretDeletionRequest.builder().secretId(secretId).ifMatch(read.getEtag()).build()));
            } else {
                // in transition (CANCELLING_DELETION after a cancel, SCHEDULING_DELETION, UPDATING, CREATING)
                if (++waits > STATE_POLLS) {
                    break;
                }
                sleep(STATE_POLL_MS);
                continue;
            }
            if (++writes >= ROUNDS) {
                break; // the secret keeps changing under us
            }
        }
        throw new VaultUnavailableException("secret " + secretId + " did not become usable", 409);
    }

    private GetSecretResponse get(String secretId) {
        try {
            return VaultRequests.send("GetSecret", secretId,
                    () -> vaults.get().getSecret(GetSecretRequest.builder().secretId(secretId).build()),
                    answer -> answer.getStatusCode() == 404);
        } catch (BmcException notFound) {
            throw new SecretGoneException(secretId);
        }
    }

    /** @return true when written; false when the secret changed since it was read (412, 409): read again */
    private static boolean write(String op, String secretId, Supplier<?> call) {
        try {
            VaultRequests.send(op, secretId, call,
                    answer -> CHANGED.contains(answer.getStatusCode()) || answer.getStatusCode() == 404);
            return true;
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                throw new SecretGoneException(secretId);
            }
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultUnavailableException("interrupted while waiting for a secret", 0);
        }
    }
}
