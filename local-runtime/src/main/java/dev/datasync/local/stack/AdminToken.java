package dev.datasync.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The token {@code /stream/retry} requires: {@code DATASYNC_ADMIN_TOKEN} when set, else generated once and kept in
 * {@code <data dir>/admin-token} (owner-only), so {@code ./datasync retry} and the user find the same one.
 */
public final class AdminToken {

    private AdminToken() {
    }

    public static String resolve(String fromEnv, Path dataDir) throws IOException {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Path file = dataDir.resolve("admin-token");
        if (Files.isRegularFile(file)) {
            String t = Files.readString(file).trim();
            if (!t.isEmpty()) {
                return t;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, token + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        return token;
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve("admin-token");
    }
}
