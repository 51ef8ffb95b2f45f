package dev.datasync.shared.oci.internal;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import dev.datasync.shared.config.VaultSettings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;

/** Reads the token a secret holds: one GetSecretBundleByName, its base64 content decoded. */
public final class TokenReader {

    private final Supplier<Secrets> secrets;
    private final VaultSettings settings;

    public TokenReader(Supplier<Secrets> secrets, VaultSettings settings) {
        this.secrets = secrets;
        this.settings = settings;
    }

    /**
     * @throws SecretNotFoundException when there is no such secret, or it holds no token of ours
     * @throws dev.datasync.shared.oci.VaultUnavailableException when Secrets cannot be used now
     */
    public String read(String name) {
        SecretBundleContentDetails content;
        try {
            content = VaultRequests.send("GetSecretBundleByName", name, () -> secrets.get().getSecretBundleByName(
                    GetSecretBundleByNameRequest.builder().secretName(name).vaultId(settings.vaultOcid()).build())
                    .getSecretBundle().getSecretBundleContent(), answer -> answer.getStatusCode() == 404);
        } catch (BmcException notFound) {
            throw new SecretNotFoundException(name);
        }
        if (!(content instanceof Base64SecretBundleContentDetails b64) || b64.getContent() == null) {
            throw new SecretNotFoundException(name);
        }
        try {
            return new String(Base64.getDecoder().decode(b64.getContent()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SecretNotFoundException(name); // not a token we wrote (content is not base64)
        }
    }
}
