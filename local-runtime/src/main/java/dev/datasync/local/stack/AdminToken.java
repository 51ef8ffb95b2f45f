package dev.datasync.local.stack;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            PrivateFiles.requireOwnerOnly(file); // whoever could write it could call /stream/retry
            String t = Files.readString(file).trim();
            if (!t.isEmpty()) {
                return t;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        DataDir.create(dataDir);
        // written to a temporary file created 0600 and renamed into place: the token is never readable by others,
        // not even between creating the file and a later chmod
        PrivateFiles.writeAtomically(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        return token;
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve("admin-token");
    }
}
