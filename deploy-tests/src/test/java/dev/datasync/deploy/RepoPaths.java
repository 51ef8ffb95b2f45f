package dev.datasync.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the repository root from wherever Maven runs the tests (the module folder, or the root). */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path c = p; c != null; c = c.getParent()) {
            if (Files.isRegularFile(c.resolve("func-configs/README.md")) && Files.isDirectory(c.resolve("terraform"))) {
                return c;
            }
        }
        throw new IllegalStateException("repository root (with func-configs/README.md and terraform/) not found above " + p);
    }

    public static Path terraform() {
        return root().resolve("terraform");
    }

    public static Path funcConfigs() {
        return root().resolve("func-configs");
    }

    /** A fixture folder of src/test/resources/tf-fixtures. */
    public static Path fixture(String name) {
        return root().resolve("deploy-tests/src/test/resources/tf-fixtures").resolve(name);
    }
}
