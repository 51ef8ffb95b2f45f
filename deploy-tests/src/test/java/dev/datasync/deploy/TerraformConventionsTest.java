package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.HclSymbolTree;
import com.bertramlabs.plugins.hcl4j.symbols.HCLAttribute;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import org.junit.BeforeClass;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** The layout the issue asks for: pinned versions, documented inputs and outputs, an example that works, no secrets. */
public class TerraformConventionsTest {

    private static TfConfig tf;

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    @Test
    public void oneFilePerConcern() {
        for (String f : List.of("versions.tf", "variables.tf", "outputs.tf", "network.tf", "streaming.tf", "vault.tf",
                "functions.tf", "apigateway.tf", "connectors.tf", "notifications.tf", "iam.tf", "state.tf", "sources.tf", "redrive.tf",
                "terraform.tfvars.example")) {
            assertTrue("terraform/" + f + " missing", Files.isRegularFile(RepoPaths.terraform().resolve(f)));
        }
    }

    @Test
    public void terraformAndProviderVersionsArePinned() {
        TfBlock terraform = tf.ofType("terraform").get(0);
        assertTrue(terraform.attribute("required_version").orElseThrow().literal().orElseThrow().matches(">= ?1\\.(5|[6-9]|\\d\\d)(\\.\\d+)?"));
        Map<String, TfAttribute> oci = terraform.block("required_providers").orElseThrow().attribute("oci").orElseThrow().entries();
        assertEquals("oracle/oci", oci.get("source").literal().orElseThrow());
        assertTrue("oracle/oci must be pinned to one major: " + oci.get("version").literal(),
                oci.get("version").literal().orElseThrow().matches("~> ?\\d+\\.\\d+"));
    }

    @Test
    public void everyVariableHasADescriptionAndATypeAndEveryOutputADescription() {
        tf.variables().forEach((name, v) -> {
            assertTrue("variable " + name + " lacks a description", v.attribute("description").isPresent());
            assertTrue("variable " + name + " lacks a type", v.attribute("type").isPresent());
        });
        tf.ofType("output").forEach(o -> assertTrue("output " + o.labels().get(0) + " lacks a description",
                o.attribute("description").isPresent()));
        Set<String> outputs = tf.ofType("output").stream().map(o -> o.labels().get(0)).collect(Collectors.toSet());
        assertTrue(outputs.containsAll(Set.of("sync_url", "retry_url", "data_stream_ocid", "error_stream_ocids",
                "archive_bucket", "error_topic_ocid", "app_config")));
    }

    @Test
    public void theExampleTfvarsSetsEveryRequiredVariableAndOnlyDeclaredOnes() throws Exception {
        List<Symbol> symbols = HclSymbolTree.parse(Files.readString(RepoPaths.terraform().resolve("terraform.tfvars.example")));
        Set<String> set = symbols.stream().filter(s -> s instanceof HCLAttribute).map(Symbol::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> undeclared = new TreeSet<>(set);
        undeclared.removeAll(tf.variables().keySet());
        assertEquals("terraform.tfvars.example sets undeclared variables", Set.of(), undeclared);
        Set<String> required = tf.variables().entrySet().stream().filter(e -> e.getValue().attribute("default").isEmpty())
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        required.removeAll(set);
        assertEquals("variables without a default that the example leaves unset", Set.of(), required);
    }

    @Test
    public void theExampleTfvarsSuggestsNoFunctionCallsWhichTfvarsCannotEvaluate() throws Exception {
        // Terraform evaluates .tfvars as literal values only; "x = file(...)" fails with "Function calls not
        // allowed". Commented-out suggestions are copied by users, so they are checked too.
        String example = Files.readString(RepoPaths.terraform().resolve("terraform.tfvars.example"));
        Pattern call = Pattern.compile("(?m)\\b[a-z_]+\\s*=\\s*[^\\n]*?\\b[a-z_]+\\(");
        assertFalse("terraform.tfvars.example suggests a function call: " + call.matcher(example).results()
                .map(m -> m.group()).collect(Collectors.toList()), call.matcher(example).find());
    }

    @Test
    public void noCredentialsInTheConfiguration() throws Exception {
        Pattern secret = Pattern.compile("(?i)(private_key|fingerprint|user_ocid|pass_phrase|BEGIN [A-Z ]*PRIVATE KEY)");
        try (Stream<Path> files = Files.list(RepoPaths.terraform())) {
            for (Path f : files.collect(Collectors.toList())) {
                assertFalse(f + " names a credential", secret.matcher(Files.readString(f)).find());
            }
        }
        for (TfBlock provider : tf.ofType("provider")) {
            Set<String> args = provider.attributes().stream().map(TfAttribute::name).collect(Collectors.toSet());
            assertTrue("provider sets more than region and auth: " + args,
                    Set.of("alias", "region", "auth", "config_file_profile").containsAll(args));
        }
    }

    @Test
    public void theFunctionIamOfEarlierDeploymentsMovesToItsKeyedAddresses() {
        // iam.tf declared one dynamic group and one policy per function (count = 1 once functions_deployed); they are
        // now instances of oci_identity_dynamic_group.function / oci_identity_policy.function. Without a moved block
        // per old instance, the next apply of an existing deployment would destroy and re-create them.
        Map<String, String> moved = new java.util.TreeMap<>();
        tf.ofType("moved").forEach(m -> moved.put(m.attribute("from").orElseThrow().text(), m.attribute("to").orElseThrow().text()));
        Map<String, String> expected = Map.of(
                "oci_identity_dynamic_group.populate[0]", "oci_identity_dynamic_group.function[\"populate\"]",
                "oci_identity_dynamic_group.read[0]", "oci_identity_dynamic_group.function[\"read\"]",
                "oci_identity_dynamic_group.retry[0]", "oci_identity_dynamic_group.function[\"retry\"]",
                "oci_identity_policy.populate_function[0]", "oci_identity_policy.function[\"populate\"]",
                "oci_identity_policy.read_function[0]", "oci_identity_policy.function[\"read\"]",
                "oci_identity_policy.retry_function[0]", "oci_identity_policy.function[\"retry\"]");
        expected.forEach((from, to) -> assertEquals("moved from " + from, to, moved.get(from)));
        // bulk-ingest-fn came after the move: it never had an address of its own to move from
        assertEquals("the keys moved to are those of local.function_grants, and the later ingest",
                Set.of("populate", "read", "retry", "ingest"), tf.local("function_grants").entries().keySet());
    }

    @Test
    public void terraformNeverOwnsTheFunctionsThatFnDeployOwns() {
        assertEquals("fn deploy owns the functions; Terraform only reads them", List.of(),
                tf.resources("oci_functions_function"));
        assertEquals(1, tf.resources("oci_functions_application").size());
        TfBlock lookup = tf.dataSources().stream().filter(d -> d.labels().get(0).equals("oci_functions_functions"))
                .findFirst().orElseThrow();
        assertEquals("each.value", lookup.attribute("display_name").orElseThrow().text());
        assertEquals("\"DataSyncApplication\"", tf.local("application_name").text());
        assertEquals("local.app_config", tf.resource("oci_functions_application", "datasync").orElseThrow()
                .attribute("config").orElseThrow().text());
    }
}
