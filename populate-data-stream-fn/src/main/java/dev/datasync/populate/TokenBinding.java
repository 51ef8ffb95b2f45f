package dev.datasync.populate;

import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.oci.VaultUnavailableException;

import java.util.Optional;

/**
 * Binds the caller's token to a {@code vaultSecretName} in Vault; a refusal becomes the item's answer. Remembers
 * once a token was stored: the Vault client exists then, and there are secrets for the sweeper to look after.
 * Thread-safe.
 */
final class TokenBinding {

    private static final String FIELD = "streamMessage.vaultSecretName";

    private final TokenVault vault;
    private final JsonLog log;
    private volatile boolean vaultInUse;

    TokenBinding(TokenVault vault, JsonLog log) {
        this.vault = vault;
        this.log = log;
    }

    /** Empty once the name holds this token; else the rejection (409 name taken or reserved, 503 Vault down). */
    Optional<ItemAnswer> bind(String secretName, String token) {
        try {
            TokenVault.StoreOutcome outcome = vault.store(secretName, token);
            vaultInUse = true;
            if (outcome == TokenVault.StoreOutcome.CONFLICT) {
                return Optional.of(ItemAnswer.rejected(409, ErrorCodes.TOKEN_MISMATCH, "vaultSecretName " + secretName
                        + " holds a different token; send a new token under a new name", FIELD));
            }
            if (outcome == TokenVault.StoreOutcome.NAME_UNAVAILABLE) {
                return Optional.of(ItemAnswer.rejected(409, ErrorCodes.SECRET_NAME_UNAVAILABLE, "vaultSecretName "
                        + secretName + " is still reserved in Vault by a deleted secret (unused"
                        + " longer than the retention) or one this service cannot use; send the token under a"
                        + " new name", FIELD));
            }
            return Optional.empty();
        } catch (VaultUnavailableException e) {
            log.error("vault.unavailable").secretName(secretName).status(e.status()).reason(e.getMessage()).write();
            return Optional.of(ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE,
                    "the token vault is unavailable, try again later", null));
        }
    }

    boolean vaultInUse() {
        return vaultInUse;
    }
}
