package dev.datasync.populate;

import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.TokenRefusedException;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.oci.VaultUnavailableException;

/**
 * Binds the caller's token to its source's secret of a {@code vaultSecretName} in Vault; a refusal becomes the
 * item's answer. Remembers once a token was stored: the Vault client exists then, and there are secrets for the
 * sweeper to look after. Thread-safe.
 */
final class TokenBinding {

    private static final String FIELD = "streamMessage.vaultSecretName";

    /** What a bind came to: {@code refusal} null when the name holds the token; {@code created}: a new secret. */
    record Bound(ItemAnswer refusal, boolean created) {
    }

    private final TokenVault vault;
    private final JsonLog log;
    private volatile boolean vaultInUse;

    TokenBinding(TokenVault vault, JsonLog log) {
        this.vault = vault;
        this.log = log;
    }

    /**
     * Makes the source's secret {@code vaultName} hold the token: bound, or the rejection (409 name taken or reserved,
     * 400 a token Vault refuses, 503 Vault down).
     *
     * @param secretName the name as the caller gave it, for the answer
     */
    Bound bind(String vaultName, String secretName, String token, String sourceId) {
        try {
            TokenVault.StoreOutcome outcome = vault.store(vaultName, token);
            vaultInUse = true;
            return switch (outcome) {
                case CREATED -> new Bound(null, true);
                case ALREADY_BOUND -> new Bound(null, false);
                case CONFLICT -> new Bound(ItemAnswer.rejected(409, ErrorCodes.TOKEN_MISMATCH, "vaultSecretName "
                        + secretName + " holds a different token; send a new token under a new name", FIELD), false);
                case NAME_UNAVAILABLE -> new Bound(ItemAnswer.rejected(409, ErrorCodes.SECRET_NAME_UNAVAILABLE,
                        "vaultSecretName " + secretName + " is still reserved in Vault by a deleted secret (unused"
                                + " longer than the retention) or one this service cannot use; send the token under"
                                + " a new name", FIELD), false);
            };
        } catch (TokenRefusedException e) {
            log.warn("vault.token_refused").sourceId(sourceId).secretName(vaultName).reason(e.getMessage()).write();
            return new Bound(ItemAnswer.rejected(400, ErrorCodes.TOO_LARGE, "Vault refused the token in"
                    + " Authorization (too large for a secret)", "Authorization"), false);
        } catch (VaultUnavailableException e) {
            log.error("vault.unavailable").sourceId(sourceId).secretName(vaultName).status(e.status())
                    .reason(e.getMessage()).write();
            return new Bound(unavailable(), false);
        }
    }

    /** Whether a live secret holds {@code vaultName} already (a bind then creates none). */
    boolean exists(String vaultName) {
        boolean exists = vault.exists(vaultName);
        vaultInUse = true;
        return exists;
    }

    static ItemAnswer unavailable() {
        return ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE, "the token vault is unavailable, try again later",
                null);
    }

    boolean vaultInUse() {
        return vaultInUse;
    }
}
