package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.datasync.deploy.ApiAuthenticationTest.attr;
import static dev.datasync.deploy.ApiAuthenticationTest.literal;
import static dev.datasync.deploy.ApiAuthenticationTest.nested;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * terraform/functions.tf's logs against issue 11: the functions' lines are kept in OCI Logging (a log group and the
 * application's invocation log, a service log of the functions service), and the search query docs/operations.md
 * gives for one syncId is the one the output log_search_query renders. With terraform installed, the retention
 * variable's validation and the output's rendering are evaluated.
 */
public class FunctionLogsTerraformTest {

    private static TfConfig tf;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    private static TfBlock resource(String type, String name) {
        return tf.resource(type, name).orElseThrow(() -> new AssertionError(type + "." + name + " is not declared"));
    }

    private static TfBlock output(String name) {
        return tf.ofType("output").stream().filter(o -> o.labels().get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no output " + name));
    }

    @Test
    public void theLogGroupIsInTheCompartmentOfTheFunctions() {
        TfBlock group = resource("oci_logging_log_group", "datasync");
        assertEquals("var.compartment_ocid", attr(group, "compartment_id"));
        assertEquals("DataSyncLogs", literal(group, "display_name"));
        assertEquals("var.freeform_tags", attr(group, "freeform_tags"));
    }

    @Test
    public void theApplicationsInvocationLogIsAServiceLogOfTheFunctionsServiceInThatGroup() {
        TfBlock log = resource("oci_logging_log", "functions_invoke");
        assertEquals("SERVICE", literal(log, "log_type"));
        assertEquals("true", literal(log, "is_enabled"));
        assertEquals("oci_logging_log_group.datasync.id", attr(log, "log_group_id"));
        assertEquals("var.log_retention_days", attr(log, "retention_duration"));
        TfBlock configuration = nested(log, "configuration");
        assertEquals("var.compartment_ocid", attr(configuration, "compartment_id"));
        TfBlock source = nested(log, "configuration", "source");
        assertEquals("functions", literal(source, "service"));
        assertEquals("invoke", literal(source, "category"));
        assertEquals("OCISERVICE", literal(source, "source_type"));
        // the one application all four functions run in: its log has every function's lines
        assertEquals("oci_functions_application.datasync.id", attr(source, "resource"));
        assertEquals(1, tf.resources("oci_functions_application").size());
    }

    @Test
    public void theOutputsNameTheLogGroupTheLogAndTheQuery() {
        assertEquals("oci_logging_log_group.datasync.id", attr(output("log_group_ocid"), "value"));
        assertEquals("oci_logging_log.functions_invoke.id", attr(output("function_log_ocid"), "value"));
        assertTrue(attr(output("log_search_query"), "value").contains("oci_logging_log_group.datasync.id"));
    }

    @Test
    public void retentionIsOneOfTheDurationsOciLoggingKeeps() throws Exception {
        TfBlock v = tf.variables().get("log_retention_days");
        assertEquals("30", literal(v, "default"));
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        for (String days : List.of("30", "90", "180")) {
            Map<String, String> vars = ApiAuthenticationTest.validVariables();
            vars.put("log_retention_days", days);
            TerraformConsole.Output out = console.evaluate(module, vars, "var.log_retention_days");
            assertEquals(out.text(), days, out.value());
        }
        for (String days : List.of("0", "7", "45", "365")) {
            Map<String, String> vars = ApiAuthenticationTest.validVariables();
            vars.put("log_retention_days", days);
            TerraformConsole.Output out = console.evaluate(module, vars, "var.log_retention_days");
            assertTrue(days + ":\n" + out.text(), out.refusedWith("log_retention_days must be 30, 60, 90"));
        }
    }

    @Test
    public void theQueryOfTheOperationsPageIsTheOneTheOutputRenders() throws Exception {
        String docs = Files.readString(RepoPaths.root().resolve("docs/operations.md"));
        Matcher m = Pattern.compile("(?m)^search \"<compartment OCID>/<log group OCID>\" \\| where logContent='\\*"
                + "<syncId>\\*' \\| sort by datetime asc$").matcher(docs);
        assertTrue("docs/operations.md gives the search query on a line of its own", m.find());
        String fromDocs = m.group().replace("<compartment OCID>", "ocid1.compartment.oc1..aaaa")
                .replace("<log group OCID>", "ocid1.loggroup.oc1.iad.bbbb").replace("<syncId>", "SYNC_ID");

        TerraformConsole console = ApiAuthenticationTest.console();
        String outputs = Files.readString(RepoPaths.terraform().resolve("outputs.tf"));
        Matcher declared = Pattern.compile("(?s)output \"log_search_query\" \\{.*?\\n\\s*value\\s*=\\s*([^\\n]+)\\n")
                .matcher(outputs);
        assertTrue(declared.find());
        String value = declared.group(1).replace("oci_logging_log_group.datasync.id", "local.log_group_id");
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(),
                "locals {\n  log_group_id = \"ocid1.loggroup.oc1.iad.bbbb\"\n  query = " + value + "\n}\n");
        TerraformConsole.Output out = console.evaluate(module, ApiAuthenticationTest.validVariables(), "local.query");
        assertEquals(out.text(), "\"" + fromDocs.replace("\"", "\\\"") + "\"", out.value());
    }
}
