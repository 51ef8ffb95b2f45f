package dev.datasync.shared.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.oci.internal.SecretNotFoundException;
import dev.datasync.shared.oci.internal.TokenReader;
import dev.datasync.shared.oci.internal.VaultRequests;
import dev.datasync.shared.signing.SigningKeyRing;
import dev.datasync.shared.signing.SigningSecret;

import java.io.IOException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The sources' signing secrets in OCI Vault: one secret per source, {@code sign.<sourceId>}, holding its
 * {@link SigningKeyRing} (JSON, base64 as Vault content). A rotation writes a new version of the same secret (the
 * new CURRENT), so Vault keeps the history and the delivering functions read one name. No token-secret rules apply
 * here: the secret has no expiry and the token sweeper never touches it (it carries none of the token metadata).
 * Secret text never appears in an exception or a log line.
 */
public final class SigningSecretStore {

    private final Supplier<Vaults> vaults;
    private final VaultSettings settings;
    private final TokenReader reader;
    private final Clock clock;

    public SigningSecretStore(Supplier<Vaults> vaults, Supplier<Secrets> secrets, VaultSettings settings, Clock clock) {
        this.vaults = vaults;
        this.settings = settings;
        this.reader = new TokenReader(secrets, settings);
        this.clock = clock;
    }

    /**
     * The source's key ring, or null when the source has no signing secret.
     * @throws VaultUnavailableException when Vault cannot be used now, or the secret does not hold a key ring
     */
    public SigningKeyRing read(String sourceId) {
        String name = name(sourceId);
        String content;
        try {
            content = reader.read(name);
        } catch (SecretNotFoundException e) {
            return null;
        }
        try {
            JsonNode node = Json.mapper().readTree(content);
            return SigningKeyRing.fromJson(node);
        } catch (IOException | IllegalArgumentException e) {
            throw new VaultUnavailableException("secret " + name + " does not hold a signing key ring", 0);
        }
    }

    /**
     * Gives the source a new current secret: the first one (a new Vault secret), or a rotation (a new version; the
     * current secret becomes the previous one, sent beside the new one for {@code signing_rotation_overlap}).
     *
     * @return the ring now stored; its current secret is to be shown once to whoever configures the receivers
     * @throws VaultUnavailableException when Vault cannot be used now
     */
    public SigningKeyRing rotate(String sourceId) {
        String name = name(sourceId);
        SigningKeyRing existing = read(sourceId);
        SigningSecret next = SigningSecret.generate();
        if (existing == null) {
            SigningKeyRing ring = SigningKeyRing.first(next);
            VaultRequests.send("CreateSecret", name, () -> vaults.get().createSecret(CreateSecretRequest.builder()
                    .createSecretDetails(CreateSecretDetails.builder()
                            .compartmentId(settings.compartmentOcid())
                            .vaultId(settings.vaultOcid())
                            .keyId(settings.keyOcid())
                            .secretName(name)
                            .description("data-sync delivery signing secret of source " + sourceId)
                            .secretContent(content(ring))
                            .build())
                    .build()));
            return ring;
        }
        SigningKeyRing ring = existing.rotatedTo(next, clock.instant());
        String id = secretId(name);
        VaultRequests.send("UpdateSecret", name, () -> vaults.get().updateSecret(UpdateSecretRequest.builder()
                .secretId(id)
                .updateSecretDetails(UpdateSecretDetails.builder().secretContent(content(ring)).build())
                .build()));
        return ring;
    }

    /** The Vault secret name of a source's signing secret. */
    public static String name(String sourceId) {
        if (!SourcePolicy.isValidId(sourceId)) {
            throw new IllegalArgumentException("not a source id");
        }
        return SigningKeyRing.secretName(sourceId);
    }

    private String secretId(String name) {
        List<SecretSummary> found = VaultRequests.send("ListSecrets", name, () -> vaults.get().listSecrets(
                ListSecretsRequest.builder().compartmentId(settings.compartmentOcid()).vaultId(settings.vaultOcid())
                        .name(name).lifecycleState(SecretSummary.LifecycleState.Active).build()).getItems());
        if (found == null || found.isEmpty()) {
            throw new VaultUnavailableException("secret " + name + " is not active", 404);
        }
        return found.get(0).getId();
    }

    private static Base64SecretContentDetails content(SigningKeyRing ring) {
        byte[] json = Json.toBytes(ring.toJson());
        return Base64SecretContentDetails.builder().content(Base64.getEncoder().encodeToString(json)).build();
    }

}
