package dev.datasync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.DataSyncConfig;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * What "required" means is decided by the code, not by the README table: the configuration Terraform renders
 * from func-configs/cloud-app-config.json.tftpl, and the local stack's func-configs/local/app-config.json once
 * filled, must both be accepted by {@link DataSyncConfig#from}, the parser every function runs at start.
 */
public class AppConfigRenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE_VALUE = Pattern.compile("\\$\\{jsonencode\\(([A-Za-z_]+)\\)}");
    private static final Pattern LOCAL_PLACEHOLDER = Pattern.compile("\\$\\{([a-z]+):([^}]*)}");

    private static TfConfig terraform;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void load() throws Exception {
        terraform = TfConfig.load(RepoPaths.terraform());
    }

    /** Plausible values for local.app_config_values, as the resources would give them. */
    private static Map<String, String> cloudValues(String errorRouting) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("data_stream_ocid", "ocid1.stream.oc1.iad.amaaaaaadatasyncstream");
        v.put("unrecoverable_error_stream_ocid", "ocid1.stream.oc1.iad.amaaaaaaunrecoverable");
        v.put("serviceUnavailable_error_stream_ocid", "ocid1.stream.oc1.iad.amaaaaaaserviceunavailable");
        v.put("internalserver_error_stream_ocid", "ocid1.stream.oc1.iad.amaaaaaainternalserver");
        v.put("default_error_stream_ocid", "ocid1.stream.oc1.iad.amaaaaaadefaulterror");
        v.put("stream_compartment_ocid", "ocid1.compartment.oc1..aaaaaaaastreams");
        v.put("vault_ocid", "ocid1.vault.oc1.iad.bbpkaaaaaadatasyncvault");
        v.put("vault_compartment_ocid", "ocid1.compartment.oc1..aaaaaaaavault");
        v.put("vault_key_ocid", "ocid1.key.oc1.iad.bbpkaaaaaadatasyncvault.abuwcljrmasterkey");
        v.put("stream_messages_endpoint", "https://cell-1.streaming.us-ashburn-1.oci.oraclecloud.com");
        v.put("oci_region", "us-ashburn-1");
        v.put("error_routing", errorRouting);
        v.put("retryable_stream_ocids", String.join(",", v.get("unrecoverable_error_stream_ocid"),
                v.get("serviceUnavailable_error_stream_ocid"), v.get("internalserver_error_stream_ocid"),
                v.get("default_error_stream_ocid")));
        v.put("target_allowlist", "orders.example.com,*.example.org");
        v.put("object_storage_namespace", "axaxnpcrorw5");
        v.put("state_bucket", "datasync-state");
        v.put("target_limits", "orders.example.com=20/s");
        v.put("target_limits_containers", "2"); // data_stream_partitions (1) + 1
        v.put("dead_letter_stream_ocid", "ocid1.stream.oc1.iad.amaaaaaadeadletter");
        v.put("redrive_schedule", "1m,5m,30m,2h,5h,10h,10h"); // var.redrive_schedule's default
        v.put("redrive_max_age", "24h");
        v.put("signing_rotation_overlap", "24h");
        v.put("max_delivery_delay", "");
        v.put("max_fanout_targets", "10");
        v.put("redrive_stream_ocids", String.join(",", v.get("serviceUnavailable_error_stream_ocid"),
                v.get("internalserver_error_stream_ocid"), v.get("default_error_stream_ocid")));
        v.put("metrics_compartment_ocid", "ocid1.compartment.oc1..aaaaaaaadatasync");
        v.put("log_level", "INFO"); // upper(var.log_level), its default
        v.put("ingest_bucket", "datasync-ingest");
        v.put("ingest_object_name_pattern", "incoming/*");
        // values Terraform wires as literals are taken from terraform/ itself
        terraform.local("app_config_values").entries().forEach((name, attr) ->
                attr.literal().ifPresent(literal -> v.put(name, literal)));
        return v;
    }

    /** templatefile() + the app_config local: jsonencode every value, then drop the keys whose value is "". */
    static Map<String, String> renderCloud(Map<String, String> values) throws Exception {
        String template = Files.readString(RepoPaths.funcConfigs().resolve("cloud-app-config.json.tftpl"));
        Matcher m = TEMPLATE_VALUE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            assertTrue("no plausible value for template variable " + m.group(1), value != null);
            m.appendReplacement(out, Matcher.quoteReplacement(JSON.writeValueAsString(value)));
        }
        m.appendTail(out);
        assertFalse("template expression left after rendering: " + out, out.toString().contains("${"));
        Map<String, String> config = new LinkedHashMap<>();
        JSON.readTree(out.toString()).fields().forEachRemaining(e -> {
            if (!e.getValue().asText().isEmpty()) {
                config.put(e.getKey(), e.getValue().asText());
            }
        });
        return config;
    }

    @Test
    public void theConfigurationTerraformRendersIsAcceptedByTheFunctionsParser() throws Exception {
        Map<String, String> values = cloudValues("");
        DataSyncConfig config = parse("cloud template", renderCloud(values));
        assertEquals(values.get("data_stream_ocid"), config.streams().dataStream());
        assertEquals(values.get("vault_key_ocid"), config.vault().keyOcid());
        assertEquals(values.get("vault_compartment_ocid"), config.vault().compartmentOcid());
        assertEquals(values.get("object_storage_namespace"), config.state().namespace().orElseThrow());
        assertEquals(values.get("state_bucket"), config.state().bucket());
        assertEquals(values.get("metrics_compartment_ocid"), config.metrics().compartmentOcid().orElseThrow());
    }

    @Test
    public void withExtraErrorRoutesTooAsTerraformJoinsThem() throws Exception {
        // error_routing = join(",", ["404=<stream>"]) when var.error_routes = { "404" = "notfound" }
        Map<String, String> values = cloudValues("404=ocid1.stream.oc1.iad.amaaaaaanotfound");
        DataSyncConfig config = parse("cloud template with error_routes", renderCloud(values));
        assertEquals("ocid1.stream.oc1.iad.amaaaaaanotfound", config.errorRouting().streamForStatus(404));
    }

    @Test
    public void theLocalConfigurationOnceFilledIsAcceptedByTheFunctionsParser() throws Exception {
        Path ociConfig = tmp.newFile("oci-config").toPath();
        Files.writeString(ociConfig, "[DEFAULT]\nregion=us-ashburn-1\n");
        JsonNode local = JSON.readTree(RepoPaths.funcConfigs().resolve("local/app-config.json").toFile());
        Map<String, String> filled = new LinkedHashMap<>();
        local.fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("_")) {
                filled.put(e.getKey(), fillLocal(e.getKey(), e.getValue().asText(), ociConfig));
            }
        });
        DataSyncConfig config = parse("local/app-config.json", filled);
        assertTrue(config.streams().dataStream().startsWith("ocid1.stream."));
    }

    /** The placeholders the local stack replaces (see the file's _comment), with values of the same shape. */
    private static String fillLocal(String key, String value, Path ociConfig) {
        Matcher m = LOCAL_PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String arg = m.group(2);
            String name = arg.toLowerCase().replaceAll("[^a-z0-9]", "");
            String v = switch (kind) {
                case "stream" -> "ocid1.stream.oc1.local.amaaaaaa" + name;
                case "compartment" -> "ocid1.compartment.oc1..aaaaaaaa" + name;
                case "vault" -> "ocid1.vault.oc1.local.aaaaaaaa" + name;
                case "key" -> "ocid1.key.oc1.local.aaaaaaaa" + name;
                case "oci" -> switch (arg) {
                    case "baseUrl" -> "http://127.0.0.1:18443";
                    case "port" -> "18443";
                    case "namespace" -> "localnamespace";
                    case "region" -> "us-ashburn-1";
                    case "configFile" -> ociConfig.toString();
                    case "profile" -> "DEFAULT";
                    default -> throw new AssertionError(key + ": unknown ${oci:" + arg + "}");
                };
                case "gateway" -> switch (arg) {
                    case "port" -> "18080";
                    default -> throw new AssertionError(key + ": unknown ${gateway:" + arg + "}");
                };
                case "env" -> {
                    int colon = arg.indexOf(':');
                    if (colon < 0) {
                        throw new AssertionError(key + ": ${env:" + arg + "} has no default, the test cannot fill it");
                    }
                    yield arg.substring(colon + 1);
                }
                default -> throw new AssertionError(key + ": unknown placeholder ${" + kind + ":" + arg + "}");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        assertFalse(key + " still has a placeholder: " + out, out.toString().contains("${"));
        return out.toString();
    }

    private static DataSyncConfig parse(String what, Map<String, String> raw) {
        try {
            return DataSyncConfig.from(raw);
        } catch (ConfigException e) {
            fail(what + " is refused by DataSyncConfig.from: " + e.getMessage() + "\n" + raw.keySet());
            throw new AssertionError(e);
        }
    }

    @Test
    public void aRenderMissingARequiredKeyIsRefusedSoTheseTestsCanFail() throws Exception {
        Map<String, String> config = renderCloud(cloudValues(""));
        for (String key : List.of("data_stream_ocid", "vault_key_ocid", "stream_messages_endpoint")) {
            Map<String, String> without = new LinkedHashMap<>(config);
            without.remove(key);
            try {
                DataSyncConfig.from(without);
                fail("DataSyncConfig.from accepted a configuration without " + key);
            } catch (ConfigException expected) {
                // the parser decides what is required; these tests rely on it refusing
            }
        }
    }
}
