package dev.datasync.localoci.auth;

import java.security.SecureRandom;

/**
 * Mints OCID-shaped identifiers: {@code ocid1.<type>.oc1.<regionKey>.<60 base32 chars>} for regional
 * resources and {@code ocid1.<type>.oc1..<60 chars>} for global ones (tenancy, user, compartment), as OCI does.
 */
public final class OcidFactory {
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private final SecureRandom random = new SecureRandom();
    private final String regionKey;

    public OcidFactory(String regionKey) {
        this.regionKey = regionKey;
    }

    public String regional(String type) {
        return "ocid1." + type + ".oc1." + regionKey + "." + unique();
    }

    public String global(String type) {
        return "ocid1." + type + ".oc1.." + unique();
    }

    /** An Object Storage namespace: 12 lowercase letters/digits, like OCI's tenancy namespaces. */
    public String namespace() {
        return unique().substring(1, 13);
    }

    private String unique() {
        char[] out = new char[60];
        out[0] = 'a';
        for (int i = 1; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
