package dev.datasync.shared.oci;

import dev.datasync.shared.contract.SourcePolicy;

/**
 * The Vault secret name behind a message's {@code (sourceId, vaultSecretName)}: {@code src.<sourceId>.<name>}, e.g.
 * {@code src.orders-app.789}. Each source has its own names, so two sources' equal {@code vaultSecretName}s are two
 * secrets, and a message of one source can only ever read its own source's secret. The form is valid for OCI Vault
 * (letters, digits, '.', '_', '-', at most 255 characters) and unambiguous: a source id holds no '.', so the first
 * '.' after {@code src.} ends it.
 * <p>
 * A message accepted before sources existed has no sourceId; its secret is named {@code vaultSecretName} itself (the
 * legacy name), except that a legacy name of the form {@code src.…} is refused: it could name a source's secret.
 * Such names were never created for a source-less message (before sources existed a name needed its token, and
 * every secret lives longer than the longest error-stream retention), so nothing deliverable is lost.
 */
public final class TokenSecretName {

    /** What every source's secret name starts with. */
    public static final String SOURCE_PREFIX = "src.";
    /** OCI Vault's longest secret name. */
    public static final int MAX_LENGTH = 255;

    private TokenSecretName() {
    }

    /**
     * @param sourceId the message's source (a valid source id), or null for a message accepted before sources
     * @throws IllegalArgumentException for a source-less name of the source form, or an invalid source id
     */
    public static String of(String sourceId, String vaultSecretName) {
        if (sourceId == null) {
            if (vaultSecretName.startsWith(SOURCE_PREFIX)) {
                throw new IllegalArgumentException("a message without a source may not name a secret starting with "
                        + SOURCE_PREFIX);
            }
            return vaultSecretName;
        }
        return prefix(sourceId) + vaultSecretName;
    }

    /** What the names of a source's secrets start with. */
    public static String prefix(String sourceId) {
        if (!SourcePolicy.isValidId(sourceId)) {
            throw new IllegalArgumentException("not a source id");
        }
        return SOURCE_PREFIX + sourceId + ".";
    }

    /** The longest {@code vaultSecretName} a source may use (its prefix counts against Vault's 255). */
    public static int longestNameFor(String sourceId) {
        return MAX_LENGTH - prefix(sourceId).length();
    }

    /** The source a Vault secret name belongs to, or null for a name of no source (legacy or not ours). */
    public static String sourceOf(String secretName) {
        if (secretName == null || !secretName.startsWith(SOURCE_PREFIX)) {
            return null;
        }
        int end = secretName.indexOf('.', SOURCE_PREFIX.length());
        if (end < 0 || end == secretName.length() - 1) {
            return null;
        }
        String id = secretName.substring(SOURCE_PREFIX.length(), end);
        return SourcePolicy.isValidId(id) ? id : null;
    }
}
