package dev.datasync.local.identity;

import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <data dir>/source-token}: the credential of the default source {@code local}, written by {@code ./datasync
 * up} (0600, like {@code admin-token}) so the demo, curl and scripts find it: {@code -H "X-DataSync-Source-Token:
 * Bearer $(cat .datasync/source-token)"}.
 */
public final class SourceTokenFile {

    private SourceTokenFile() {
    }

    public static Path of(Path dataDir) {
        return dataDir.resolve("source-token");
    }

    public static void write(Path dataDir, String credential) throws IOException {
        PrivateFiles.writeAtomically(of(dataDir), (credential + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public static Optional<String> read(Path dataDir) throws IOException {
        Path f = of(dataDir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String t = Files.readString(f, StandardCharsets.US_ASCII).trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
