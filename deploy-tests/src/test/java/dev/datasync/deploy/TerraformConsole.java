package dev.datasync.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code terraform console} in a scratch module, for what only Terraform itself can say: the value of an expression
 * and whether a variable's validation accepts a value. Offline: the module holds no provider, nothing is planned.
 * Tests use it only when terraform is on PATH ({@link #find()}), and skip visibly otherwise.
 */
final class TerraformConsole {

    /** What the console printed, colours removed; a refused variable shows up as "Invalid value for variable". */
    record Output(int exitCode, String text) {

        /** The last line: the value of the expression (strings are printed quoted, in HCL/JSON escaping). */
        String value() {
            return text.strip().lines().reduce((a, b) -> b).orElse("");
        }

        boolean refusedWith(String message) {
            return flat().contains("Invalid value for variable") && flat().contains(message);
        }

        boolean refusedAnything() {
            return flat().contains("Invalid value for variable");
        }

        /** Error boxes wrap long messages over lines prefixed with │: joined back into one line of text. */
        private String flat() {
            return text.replace("│", " ").replaceAll("\\s+", " ");
        }
    }

    private final Path terraform;

    private TerraformConsole(Path terraform) {
        this.terraform = terraform;
    }

    static Optional<TerraformConsole> find() {
        return Processes.onPath("terraform").map(TerraformConsole::new);
    }

    /** Evaluates {@code expression} in {@code module} (a folder of .tf files) with the given variable values. */
    Output evaluate(Path module, Map<String, String> variables, String expression) throws IOException, InterruptedException {
        StringBuilder tfvars = new StringBuilder();
        variables.forEach((name, hcl) -> tfvars.append(name).append(" = ").append(hcl).append('\n'));
        Files.writeString(module.resolve("console.tfvars"), tfvars);
        Files.writeString(module.resolve("console.input"), expression + "\n");
        Processes.Result r = Processes.run(List.of("sh", "-c",
                        "'" + terraform + "' console -var-file=console.tfvars < console.input"), module,
                // no user CLI configuration is read, and no warning about a missing one
                Map.of("TF_CLI_CONFIG_FILE", "/dev/null", "CHECKPOINT_DISABLE", "1"));
        return new Output(r.exitCode(), r.output().replaceAll("\u001B\\[[0-9;]*m", ""));
    }

    /** A scratch module in {@code dir}: terraform/variables.tf and the given extra file (e.g. locals to probe). */
    static Path moduleWithVariables(Path dir, String extraFile) throws IOException {
        Files.copy(RepoPaths.terraform().resolve("variables.tf"), dir.resolve("variables.tf"));
        Files.writeString(dir.resolve("probe.tf"), extraFile);
        return dir;
    }
}
