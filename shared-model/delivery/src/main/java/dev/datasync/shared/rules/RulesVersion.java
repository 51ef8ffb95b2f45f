package dev.datasync.shared.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The version of a source's rules: {@code sha256:} and the first 16 hex digits of the SHA-256 of the rules object's
 * bytes. A content hash rather than the object's ETag, so the same file has the same version wherever it was
 * written (Terraform on OCI, {@code ./datasync sources rules} locally) and {@code --test} can print the version the
 * delivery will record.
 */
public final class RulesVersion {

    private static final String PREFIX = "sha256:";

    private RulesVersion() {
    }

    public static String of(byte[] rulesObject) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(rulesObject);
            return PREFIX + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public static String of(String rulesObject) {
        return of(rulesObject.getBytes(StandardCharsets.UTF_8));
    }
}
