package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * OCI Functions refuses an application configuration over 4 KB (keys + values, UTF-8 octets). Terraform checks
 * it in a precondition; this test checks that precondition exists, that its byte count is right (evaluated by
 * `terraform console` when terraform is installed), and how much room a typical configuration leaves.
 */
public class AppConfigSizeTest {

    private static TfConfig tf;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    static int utf8Bytes(Map<String, String> config) {
        return config.entrySet().stream().mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    public void theApplicationRefusesAConfigurationOverTheFunctionsLimit() {
        assertEquals("4096", tf.local("app_config_max_bytes").literal().orElseThrow());
        TfBlock app = tf.resource("oci_functions_application", "datasync").orElseThrow();
        assertEquals("local.app_config", app.attribute("config").orElseThrow().text());
        boolean checked = app.block("lifecycle").stream().flatMap(l -> l.blocks("precondition").stream())
                .anyMatch(p -> p.attribute("condition").orElseThrow().text()
                        .equals("local.app_config_bytes <= local.app_config_max_bytes"));
        assertTrue("oci_functions_application.datasync needs the 4 KB precondition", checked);
        assertTrue(tf.local("app_config_text").text().contains("local.app_config"));
    }

    @Test
    public void theByteCountTerraformComputesIsTheUtf8SizeOfKeysAndValues() throws Exception {
        TerraformConsole console = TerraformConsole.find().orElse(null);
        org.junit.Assume.assumeTrue("SKIPPED: terraform is not on PATH, the byte-count expression is not evaluated",
                console != null);
        String locals = Files.readString(RepoPaths.terraform().resolve("locals.tf"));
        String text = expression(locals, "app_config_text");
        String bytes = expression(locals, "app_config_bytes");
        for (Map<String, String> config : List.of(
                Map.of("a", "b"),
                Map.of("target_allowlist", "bücher.example,*.例え.jp", "oci_region", "us-ashburn-1"),
                Map.of("k", "x".repeat(4000), "é", "€"))) {
            Path dir = tmp.newFolder().toPath();
            StringBuilder map = new StringBuilder();
            config.forEach((k, v) -> map.append("    \"").append(k).append("\" = \"").append(v).append("\"\n"));
            Files.writeString(dir.resolve("main.tf"), "locals {\n  app_config = {\n" + map + "  }\n  app_config_text = "
                    + text + "\n  app_config_bytes = " + bytes + "\n}\n");
            TerraformConsole.Output r = console.evaluate(dir, Map.of(), "local.app_config_bytes");
            assertEquals(r.text(), 0, r.exitCode());
            assertEquals("terraform's byte count for " + config.keySet() + ":\n" + r.text(),
                    String.valueOf(utf8Bytes(config)), r.value());
        }
    }

    @Test
    public void aTypicalConfigurationLeavesRoomUnderTheLimit() throws Exception {
        // realistic OCID lengths (~90 characters), two extra routes and a ten-host allow-list
        String stream = "ocid1.stream.oc1.iad.amaaaaaanif7xwiaxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\$\\{jsonencode\\(([A-Za-z_]+)\\)}").matcher(
                Files.readString(RepoPaths.funcConfigs().resolve("cloud-app-config.json.tftpl")));
        while (m.find()) {
            values.put(m.group(1), stream);
        }
        values.put("error_routing", "404=" + stream + ",429=" + stream);
        // the four error streams and the stream of an extra route; three of them redriven
        values.put("retryable_stream_ocids", String.join(",", java.util.Collections.nCopies(5, stream)));
        values.put("redrive_stream_ocids", String.join(",", java.util.Collections.nCopies(3, stream)));
        values.put("redrive_schedule", "1m,5m,30m,2h,5h,10h,10h");
        values.put("redrive_max_age", "24h");
        values.put("redrive_group", "datasync-redrive");
        values.put("target_allowlist", String.join(",", java.util.Collections.nCopies(10, "orders-api.eu.example.com")));
        int size = utf8Bytes(AppConfigRenderTest.renderCloud(values));
        System.out.println("typical application configuration: " + size + " of 4096 bytes");
        assertTrue("a typical configuration takes " + size + " bytes of 4096", size < 4096);
    }

    /** The right-hand side of {@code name = ...} (one line) in locals.tf. */
    static String expression(String file, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + name + "\\s*=\\s*(.+)$").matcher(file);
        assertTrue(name + " not found in locals.tf", m.find());
        return m.group(1);
    }
}
