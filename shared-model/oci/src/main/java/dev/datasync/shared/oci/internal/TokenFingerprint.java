package dev.datasync.shared.oci.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Binds a Vault secret to the token it holds without storing the token a second time: a salted SHA-256 of the token,
 * kept in the secret's metadata (readable with less privilege than the secret content, hence the salt against
 * precomputed tables). Format {@code sha256:<salt base64>:<digest base64>}.
 */
public final class TokenFingerprint {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "sha256:";

    private TokenFingerprint() {
    }

    public static String create(String token) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + b64(salt) + ":" + b64(digest(salt, token));
    }

    /** Whether {@code fingerprint} has the shape {@link #create} gives (the token cannot be checked here). */
    static boolean isWellFormed(String fingerprint) {
        if (fingerprint == null || !fingerprint.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = fingerprint.substring(PREFIX.length()).split(":", -1);
        try {
            return parts.length == 2 && Base64.getDecoder().decode(parts[0]).length > 0
                    && Base64.getDecoder().decode(parts[1]).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True when {@code fingerprint} was made from {@code token}; false for any other or malformed fingerprint. */
    public static boolean matches(String fingerprint, String token) {
        if (fingerprint == null || !fingerprint.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = fingerprint.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[0]);
            byte[] expected = Base64.getDecoder().decode(parts[1]);
            return MessageDigest.isEqual(expected, digest(salt, token)); // constant time
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] digest(byte[] salt, String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(token.getBytes(StandardCharsets.UTF_8));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
