package dev.datasync.shared.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of the temporary folders tests make. */
public final class TempDirs {

    private TempDirs() {
    }

    /** Deletes a folder and everything in it; best effort, since it is a temporary folder (null is ignored). */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder: what is left is the OS's to clean
        }
    }
}
