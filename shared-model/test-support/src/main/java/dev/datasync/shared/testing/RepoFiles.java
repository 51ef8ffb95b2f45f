package dev.datasync.shared.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of this repository for tests, found from wherever Maven runs them (a module folder, a nested module, or the
 * root). Tests read only inside the repository, so a fresh clone passes on its own.
 */
public final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root: the folder holding the {@code datasync} launcher and {@code func-configs/}. */
    public static Path root() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path c = start; c != null; c = c.getParent()) {
            if (Files.isRegularFile(c.resolve("datasync")) && Files.isDirectory(c.resolve("func-configs"))) {
                return c;
            }
        }
        throw new IllegalStateException("repository root (with datasync and func-configs/) not found above " + start);
    }

    /** A public payload example of {@code docs/examples/}. */
    public static Path example(String name) {
        return root().resolve("docs/examples").resolve(name);
    }
}
