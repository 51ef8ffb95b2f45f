package dev.datasync.local.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository's shared files are: {@code func-configs/local/*} and each function's {@code func.yaml}.
 * Found from {@code -Ddatasync.repo.root}, else by walking up from the working directory (tests run in the
 * module directory, ./datasync in the root).
 */
public record RepoLayout(Path root) {

    public static RepoLayout locate() {
        String explicit = System.getProperty("datasync.repo.root");
        if (explicit != null && !explicit.isBlank()) {
            return new RepoLayout(Path.of(explicit).toAbsolutePath().normalize());
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("func-configs/local/app-config.json"))) {
                return new RepoLayout(dir);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find func-configs/local/app-config.json above "
                + Path.of("").toAbsolutePath() + " (set -Ddatasync.repo.root)");
    }

    public Path ociDeclaration() {
        return root.resolve("func-configs/local/oci-declaration.json");
    }

    public Path appConfigTemplate() {
        return root.resolve("func-configs/local/app-config.json");
    }

    /** The bulk-ingest Events rule's condition, the template Terraform renders too. */
    public Path ingestRuleCondition() {
        return root.resolve("func-configs/ingest-events-condition.json.tftpl");
    }

    public Path funcYaml(String functionDir) {
        return root.resolve(functionDir).resolve("func.yaml");
    }
}
