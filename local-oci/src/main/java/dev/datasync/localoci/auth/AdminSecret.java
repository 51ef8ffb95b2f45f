package dev.datasync.localoci.auth;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret the {@code /_admin/*} endpoints require in {@link #HEADER}, from every caller, loopback included: any
 * local process — a web page's request, a function delivering to a loopback target — can reach 127.0.0.1, but only
 * the emulator's user can read {@link #FILE_NAME} (0600 in the 0700 data directory). A new one is drawn at every
 * start, so a secret seen once stops working with the emulator that issued it.
 */
public final class AdminSecret {

    public static final String HEADER = "X-LocalOci-Admin-Secret";
    public static final String FILE_NAME = "admin-secret";

    private final String value;
    private final Path file;

    private AdminSecret(String value, Path file) {
        this.value = value;
        this.file = file;
    }

    /** Draws a new secret and writes it into {@code <dataDir>/admin-secret} (0600 from creation). */
    public static AdminSecret create(Path dataDir) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        PrivateFiles.writeAtomically(file, (secret + "\n").getBytes(StandardCharsets.US_ASCII));
        return new AdminSecret(secret, file);
    }

    /** Compared in constant time: the answer's timing must not tell how much of a guess was right. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(presented.trim().getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    public String value() {
        return value;
    }

    public Path file() {
        return file;
    }
}
