package dev.datasync.shared.delivery;

/**
 * The token for a message cannot be had. {@code permanent}: the secret does not exist (the message can never be
 * delivered: routed as invalid); otherwise Vault could not be reached (routed like a network failure, to be
 * replayed later). The message never contains the token.
 */
public class TokenUnavailableException extends Exception {

    private final boolean permanent;

    public TokenUnavailableException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
