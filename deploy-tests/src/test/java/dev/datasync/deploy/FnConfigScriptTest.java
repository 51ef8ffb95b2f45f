package dev.datasync.deploy;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * func-configs/fn-config-app.sh, run for real with a stand-in {@code fn} (and {@code terraform}) on PATH that
 * records its arguments: every key reaches `fn config app DataSyncApplication key value`, values with commas
 * and wildcards intact, empty values skipped, unknown keys refused before anything is applied.
 */
public class FnConfigScriptTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path bin;
    private Path calls;

    @BeforeClass
    public static void tools() {
        Assume.assumeTrue("SKIPPED: bash or jq not on PATH", Processes.onPath("bash").isPresent()
                && Processes.onPath("jq").isPresent());
    }

    private void stub(String name, String body) throws Exception {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Processes.Result runScript(String... args) throws Exception {
        bin = bin == null ? tmp.newFolder("bin").toPath() : bin;
        calls = bin.resolveSibling("calls.txt");
        stub("fn", "printf '%s|' \"$@\" >> '" + calls + "'; echo >> '" + calls + "'");
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", RepoPaths.funcConfigs().resolve("fn-config-app.sh").toString()));
        cmd.addAll(List.of(args));
        return Processes.run(cmd, RepoPaths.root(), Map.of("PATH", bin + ":" + System.getenv("PATH")));
    }

    private List<String> recordedCalls() throws Exception {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    @Test
    public void appliesEveryKeyFromTerraformOutput() throws Exception {
        bin = tmp.newFolder("tfbin").toPath();
        stub("terraform", "[[ \"$*\" == *'output -json app_config'* ]] || exit 9\n"
                + "echo '{\"data_stream_ocid\":\"ocid1.stream.oc1..data\",\"target_allowlist\":\"orders.example.com,*.example.org\","
                + "\"error_routing\":\"\",\"vault_key_ocid\":\"ocid1.key.oc1..k\"}'");
        Processes.Result r = runScript();
        assertEquals(r.output(), 0, r.exitCode());
        assertEquals(List.of(
                "config|app|DataSyncApplication|data_stream_ocid|ocid1.stream.oc1..data|",
                "config|app|DataSyncApplication|target_allowlist|orders.example.com,*.example.org|",
                "config|app|DataSyncApplication|vault_key_ocid|ocid1.key.oc1..k|"), recordedCalls());
    }

    @Test
    public void appliesKeyValueArgumentsToTheNamedApplication() throws Exception {
        Processes.Result r = runScript("--app", "OtherApp", "delivery_max_attempts=3", "target_allowlist=a.example.com");
        assertEquals(r.output(), 0, r.exitCode());
        assertEquals(List.of("config|app|OtherApp|delivery_max_attempts|3|",
                "config|app|OtherApp|target_allowlist|a.example.com|"), recordedCalls());
    }

    @Test
    public void refusesAKeyThatIsNotInTheTableAndAppliesNothing() throws Exception {
        Processes.Result r = runScript("data_stream_ocid=ocid1.stream.oc1..x", "data_stream_id=typo");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output(), r.output().contains("data_stream_id is not a key of func-configs/README.md"));
        assertEquals(List.of(), recordedCalls());
    }

    @Test
    public void dryRunPrintsTheCommandsWithoutCallingFn() throws Exception {
        Path json = tmp.newFile("cfg.json").toPath();
        Files.writeString(json, "{\"vault_ocid\":\"ocid1.vault.oc1..v\"}");
        Processes.Result r = runScript("--from-json", json.toString(), "--dry-run");
        assertEquals(r.output(), 0, r.exitCode());
        assertTrue(r.output(), r.output().contains("fn config app DataSyncApplication vault_ocid ocid1.vault.oc1..v"));
        assertFalse(Files.exists(calls) && !recordedCalls().isEmpty());
    }
}
