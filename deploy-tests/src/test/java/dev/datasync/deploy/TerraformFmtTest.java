package dev.datasync.deploy;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/** {@code terraform fmt -check} over terraform/ when terraform is installed; a visible skip otherwise. */
public class TerraformFmtTest {

    private static Path terraform;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void findTerraform() {
        terraform = Processes.onPath("terraform").orElse(null);
        Assume.assumeTrue("SKIPPED: terraform is not on PATH, so `terraform fmt -check` cannot run", terraform != null);
    }

    private static Processes.Result fmtCheck(Path dir) throws Exception {
        // TF_CLI_CONFIG_FILE=/dev/null: no user CLI configuration is read, and no warning about a missing one.
        return Processes.run(List.of(terraform.toString(), "fmt", "-check", "-recursive", "-diff", "."), dir,
                Map.of("TF_CLI_CONFIG_FILE", "/dev/null", "CHECKPOINT_DISABLE", "1"));
    }

    @Test
    public void terraformDirectoryIsFormatted() throws Exception {
        Processes.Result r = fmtCheck(RepoPaths.terraform());
        assertEquals("terraform fmt -check found unformatted files (run `terraform fmt -recursive terraform/`):\n"
                + r.output(), 0, r.exitCode());
    }

    @Test
    public void anUnformattedFileIsCaught() throws Exception {
        Path dir = tmp.newFolder("unformatted").toPath();
        Files.writeString(dir.resolve("main.tf"), "variable \"x\" {\ntype=string\n      default = \"a\"\n}\n");
        Processes.Result r = fmtCheck(dir);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output(), r.output().contains("main.tf"));
    }
}
