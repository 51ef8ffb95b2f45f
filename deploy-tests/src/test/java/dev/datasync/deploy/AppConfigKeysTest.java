package dev.datasync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.BeforeClass;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The configuration Terraform writes names every key the functions require, only keys of the README table,
 * and the same keys as the local stack's configuration.
 */
public class AppConfigKeysTest {

    private static final Pattern TEMPLATE_ENTRY = Pattern.compile("\"([A-Za-z_]+)\"\\s*:\\s*\\$\\{jsonencode\\(([A-Za-z_]+)\\)}");

    private static ConfigKeyTable table;
    private static Map<String, String> cloudKeyToTemplateVar;
    private static String template;
    private static TfConfig terraform;

    @BeforeClass
    public static void load() throws Exception {
        table = ConfigKeyTable.load(RepoPaths.funcConfigs().resolve("README.md"));
        template = Files.readString(RepoPaths.funcConfigs().resolve("cloud-app-config.json.tftpl"));
        cloudKeyToTemplateVar = new LinkedHashMap<>();
        Matcher m = TEMPLATE_ENTRY.matcher(template);
        while (m.find()) {
            cloudKeyToTemplateVar.put(m.group(1), m.group(2));
        }
        terraform = TfConfig.load(RepoPaths.terraform());
    }

    @Test
    public void theTableHasRequiredKeysAndTheTemplateIsValidJsonOnceRendered() throws Exception {
        assertTrue("README table parsed no required key: " + table.required(),
                table.required().containsAll(Set.of("data_stream_ocid", "default_error_stream_ocid", "vault_key_ocid")));
        // What templatefile() produces when every value is a string: must be one JSON object, nothing else.
        String rendered = template.replaceAll("\\$\\{jsonencode\\(([A-Za-z_]+)\\)}", "\"$1\"");
        JsonNode json = new ObjectMapper().readTree(rendered);
        assertEquals("every template entry must be \"key\": ${jsonencode(var)}",
                new TreeSet<>(cloudKeyToTemplateVar.keySet()), fieldNames(json));
    }

    @Test
    public void terraformWritesEveryKeyTheFunctionsRequire() {
        Set<String> missing = new TreeSet<>(table.required());
        missing.removeAll(cloudKeyToTemplateVar.keySet());
        assertEquals("required keys missing from cloud-app-config.json.tftpl", Set.of(), missing);
    }

    @Test
    public void terraformWritesOnlyKeysOfTheTable() {
        Set<String> unknown = new TreeSet<>(cloudKeyToTemplateVar.keySet());
        unknown.removeAll(table.keys());
        assertEquals("cloud template keys not in func-configs/README.md", Set.of(), unknown);
    }

    @Test
    public void everyTemplateVariableIsWiredInTerraformAndNoneIsLeftOver() {
        Set<String> wired = new TreeSet<>(terraform.local("app_config_values").entries().keySet());
        assertEquals("templatefile() variables (local.app_config_values) vs the template's ${jsonencode(...)}",
                new TreeSet<>(cloudKeyToTemplateVar.values()), wired);
    }

    @Test
    public void theLocalConfigurationAndTheCloudTemplateNameTheSameKeys() throws Exception {
        Path local = RepoPaths.funcConfigs().resolve("local/app-config.json");
        assertTrue(local + " must exist (written by local-runtime); the cloud and local key sets are compared",
                Files.isRegularFile(local));
        JsonNode json = new ObjectMapper().readTree(local.toFile());
        if (json.has("config") && json.get("config").isObject()) {
            json = json.get("config");
        }
        Set<String> localKeys = fieldNames(json);
        localKeys.removeIf(k -> k.startsWith("_")); // the local template's comments

        Set<String> unknown = new TreeSet<>(localKeys);
        unknown.removeAll(table.keys());
        assertEquals("local/app-config.json keys not in func-configs/README.md", Set.of(), unknown);

        Set<String> missingRequired = new TreeSet<>(table.required());
        missingRequired.removeAll(localKeys);
        assertEquals("required keys missing from local/app-config.json", Set.of(), missingRequired);

        Set<String> mayDiffer = new TreeSet<>(table.environmentSpecific());
        mayDiffer.addAll(table.withDefault());
        Set<String> onlyCloud = new TreeSet<>(cloudKeyToTemplateVar.keySet());
        onlyCloud.removeAll(localKeys);
        onlyCloud.removeAll(mayDiffer);
        Set<String> onlyLocal = new TreeSet<>(localKeys);
        onlyLocal.removeAll(cloudKeyToTemplateVar.keySet());
        onlyLocal.removeAll(mayDiffer);
        assertEquals("keys the cloud template names but local/app-config.json does not", Set.of(), onlyCloud);
        assertEquals("keys local/app-config.json names but the cloud template does not", Set.of(), onlyLocal);
    }

    @Test
    public void theTypedConfigurationOfTheCodeReadsExactlyTheKeysOfTheTable() throws Exception {
        Path keys = RepoPaths.root().resolve("shared-model/contract/src/main/java/dev/datasync/shared/config/ConfigKeys.java");
        assertTrue(keys + " missing", Files.isRegularFile(keys));
        Set<String> inCode = new TreeSet<>();
        Matcher m = Pattern.compile("static final String \\w+ = \"([A-Za-z_]+)\";").matcher(Files.readString(keys));
        while (m.find()) {
            inCode.add(m.group(1));
        }
        assertEquals("ConfigKeys constants vs func-configs/README.md", new TreeSet<>(table.keys()), inCode);
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
