package dev.datasync.shared.signing;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A source's delivery signing secret in the Standard Webhooks form: {@code whsec_} followed by the base64 of the key
 * bytes (the HMAC-SHA256 key is the decoded bytes, not the text). Generated with {@link #BYTES} random bytes, inside
 * the spec's 24–64. Its text is shown once, by the command that creates or rotates it; {@link #toString()} never
 * shows it.
 */
public final class SigningSecret {

    public static final String PREFIX = "whsec_";
    /** Key length of a generated secret (the spec asks for 24 to 64 bytes). */
    public static final int BYTES = 32;
    private static final int MIN_BYTES = 24;
    private static final int MAX_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private SigningSecret(byte[] key) {
        this.key = key.clone();
    }

    /** A new random secret. */
    public static SigningSecret generate() {
        byte[] key = new byte[BYTES];
        RANDOM.nextBytes(key);
        return new SigningSecret(key);
    }

    /** @throws IllegalArgumentException when {@code text} is not {@code whsec_<base64 of 24..64 bytes>} */
    public static SigningSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a signing secret starts with " + PREFIX);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a signing secret is " + PREFIX + " and base64");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("a signing secret holds " + MIN_BYTES + " to " + MAX_BYTES + " bytes");
        }
        return new SigningSecret(key);
    }

    /** The HMAC key: the decoded bytes. */
    byte[] key() {
        return key.clone();
    }

    /** The secret as the receiver configures it, {@code whsec_…}. */
    public String text() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningSecret s && Arrays.equals(key, s.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "SigningSecret[****]";
    }
}
