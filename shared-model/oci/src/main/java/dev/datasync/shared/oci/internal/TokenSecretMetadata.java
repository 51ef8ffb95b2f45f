package dev.datasync.shared.oci.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * What this service keeps in the metadata of a token secret it created: the token's fingerprint (which is also the
 * marker "created by this service": a secret without it is never adopted, touched or deleted) and the last time a
 * sync request used the secret (ISO-8601), which keeps it alive.
 */
public final class TokenSecretMetadata {

    public static final String FINGERPRINT_KEY = "datasyncTokenFingerprint";
    public static final String LAST_USED_KEY = "datasyncLastUsed";

    private TokenSecretMetadata() {
    }

    /** Metadata of a new secret, used now. */
    public static Map<String, Object> forNewSecret(String fingerprint, Instant now) {
        return Map.of(FINGERPRINT_KEY, fingerprint, LAST_USED_KEY, now.toString());
    }

    /** The fingerprint when the metadata carries a well-formed one of ours, else null (a foreign secret). */
    public static String fingerprint(Map<String, Object> metadata) {
        Object fp = metadata == null ? null : metadata.get(FINGERPRINT_KEY);
        return fp instanceof String s && TokenFingerprint.isWellFormed(s) ? s : null;
    }

    public static boolean isOurs(Map<String, Object> metadata) {
        return fingerprint(metadata) != null;
    }

    /**
     * The recorded last use; a secret created before last use was recorded (or whose value is unreadable) counts
     * as last used when it was created.
     */
    public static Instant lastUsed(Map<String, Object> metadata, Date timeCreated) {
        Object v = metadata == null ? null : metadata.get(LAST_USED_KEY);
        if (v instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                // fall through to the creation time
            }
        }
        return timeCreated == null ? Instant.EPOCH : timeCreated.toInstant();
    }

    /** The same metadata with the last use set to {@code now}; other entries are kept (UpdateSecret replaces all). */
    public static Map<String, Object> withLastUsed(Map<String, Object> metadata, Instant now) {
        Map<String, Object> m = metadata == null ? new HashMap<>() : new HashMap<>(metadata);
        m.put(LAST_USED_KEY, now.toString());
        return m;
    }
}
