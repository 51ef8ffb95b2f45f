package dev.datasync.shared.oci.internal;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretExpiryRule;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.oci.VaultUnavailableException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads and makes the bindings of secret names in Vault: the live secret of a name (ListSecrets, GetSecret), or a
 * new secret holding a token (base64 content, as OCI requires; our fingerprint and the first use in its metadata; a
 * SECRET_EXPIRY_RULE of {@code secret_expiry_days}). A create that loses a race against another container is
 * answered by reading the winner's binding.
 */
public final class SecretBindings {

    private static final int WINNER_READS = 3;
    private static final Set<SecretSummary.LifecycleState> GONE = Set.of(SecretSummary.LifecycleState.Deleted,
            SecretSummary.LifecycleState.Failed);
    private static final Set<SecretSummary.LifecycleState> LEAVING = Set.of(
            SecretSummary.LifecycleState.PendingDeletion, SecretSummary.LifecycleState.SchedulingDeletion);

    private final Supplier<Vaults> vaults;
    private final VaultSettings settings;
    private final Clock clock;

    public SecretBindings(Supplier<Vaults> vaults, VaultSettings settings, Clock clock) {
        this.vaults = vaults;
        this.settings = settings;
        this.clock = clock;
    }

    /** The binding of {@code name}; a new secret holding {@code token} when no live secret has that name. */
    public SecretBinding lookupOrCreate(String name, String token) {
        SecretBinding existing = lookup(name);
        return existing != null ? existing : create(name, token);
    }

    private SecretBinding create(String name, String token) {
        String fingerprint = TokenFingerprint.create(token);
        Instant now = clock.instant();
        try {
            Secret created = VaultRequests.send("CreateSecret", name, () -> vaults.get().createSecret(
                    CreateSecretRequest.builder().createSecretDetails(details(name, token, fingerprint, now)).build())
                    .getSecret(), SecretBindings::isNameTaken);
            return new SecretBinding(SecretBinding.State.BOUND, fingerprint, created.getId(), now, true);
        } catch (BmcException nameTaken) {
            return winnerOf(name);
        }
    }

    private CreateSecretDetails details(String name, String token, String fingerprint, Instant now) {
        return CreateSecretDetails.builder()
                .compartmentId(settings.compartmentOcid())
                .vaultId(settings.vaultOcid())
                .keyId(settings.keyOcid())
                .secretName(name)
                .description("data-sync target token")
                .metadata(TokenSecretMetadata.forNewSecret(fingerprint, now))
                .secretContent(Base64SecretContentDetails.builder()
                        .content(Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
                        .build())
                .secretRules(List.of(SecretExpiryRule.builder()
                        .secretVersionExpiryInterval("P" + settings.secretExpiryDays() + "D")
                        // expiry marks the version for clean-up; it must not strand messages still in error streams
                        // that are replayed later
                        .isSecretContentRetrievalBlockedOnExpiry(false)
                        .build()))
                .build();
    }

    /** Another container created the name first: its binding decides. */
    private SecretBinding winnerOf(String name) {
        for (int i = 0; i < WINNER_READS; i++) {
            SecretBinding winner = lookup(name);
            if (winner != null) {
                return winner;
            }
            sleep(100L * (i + 1));
        }
        // taken, yet no live secret of that name in our compartment: a deleted secret whose name Vault still
        // reserves, or a secret in another compartment of the vault
        return SecretBinding.NAME_UNAVAILABLE;
    }

    /**
     * OCI documents 409 for a duplicate secret name, but users report real Vault answering
     * {@code 400 InvalidParameter "... already exists"} too; both mean "someone else created it", never "Vault is down".
     */
    public static boolean isNameTaken(BmcException e) {
        if (e.getStatusCode() == 409) {
            return true;
        }
        String message = e.getMessage();
        return e.getStatusCode() == 400 && "InvalidParameter".equals(e.getServiceCode())
                && message != null && message.toLowerCase(Locale.ROOT).contains("already exists");
    }

    /** The binding of the live secret named {@code name}, or null when there is none. */
    private SecretBinding lookup(String name) {
        List<SecretSummary> found = VaultRequests.send("ListSecrets", name, () -> vaults.get().listSecrets(
                ListSecretsRequest.builder()
                        .compartmentId(settings.compartmentOcid())
                        .vaultId(settings.vaultOcid())
                        .name(name)
                        .build()).getItems());
        SecretSummary live = null;
        for (SecretSummary s : found == null ? List.<SecretSummary>of() : found) {
            if (name.equals(s.getSecretName()) && !GONE.contains(s.getLifecycleState())) {
                live = s;
            }
        }
        if (live == null) {
            return null;
        }
        if (live.getLifecycleState() == SecretSummary.LifecycleState.Deleting) {
            throw new VaultUnavailableException("secret " + name + " is being deleted", 409);
        }
        String id = live.getId();
        Secret secret = VaultRequests.send("GetSecret", name,
                () -> vaults.get().getSecret(GetSecretRequest.builder().secretId(id).build()).getSecret());
        return TokenBindingPolicy.bindingOf(secret, LEAVING.contains(live.getLifecycleState()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
