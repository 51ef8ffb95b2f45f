package dev.datasync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.shared.rules.CompiledRules;
import dev.datasync.shared.rules.RulesFile;
import dev.datasync.shared.rules.RulesVersion;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.datasync.deploy.ApiAuthenticationTest.attr;
import static dev.datasync.deploy.ApiAuthenticationTest.literal;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Issue 15 on OCI, offline: var.source_rules becomes one rules/&lt;id&gt;.json per source in datasync-state, the object
 * the delivering functions read, in the form they accept (only the expressions given), and the variable refuses
 * rules for an unknown source or with no expression. The example tfvars' rules compile.
 */
public class SourceRulesTerraformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TfConfig tf;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    @Test
    public void everySourceWithRulesHasItsObjectInTheStateBucket() {
        TfBlock object = tf.resource("oci_objectstorage_object", "source_rules")
                .orElseThrow(() -> new AssertionError("oci_objectstorage_object.source_rules is not declared"));
        assertEquals("var.source_rules", attr(object, "for_each"));
        assertEquals("oci_objectstorage_bucket.state.name", attr(object, "bucket"));
        assertEquals(List.of(RulesFile.objectName("${each.key}")), object.attribute("object").orElseThrow().strings());
        assertEquals("application/json", literal(object, "content_type"));
    }

    /** The content expression of the rules object, per source ({@code each.*} renamed for a for expression). */
    private static String perSourceContent() throws Exception {
        String sources = Files.readString(RepoPaths.terraform().resolve("sources.tf"));
        int at = sources.indexOf("resource \"oci_objectstorage_object\" \"source_rules\"");
        assertTrue("no source_rules object in sources.tf", at >= 0);
        Matcher m = Pattern.compile("(?s)\\bcontent\\s*=\\s*(jsonencode\\(\\{.*?\\n\\s*}\\))").matcher(sources);
        assertTrue("no content = jsonencode({...}) in the source_rules object", m.find(at));
        return m.group(1).replace("each.key", "id").replace("each.value", "rules");
    }

    @Test
    public void theObjectTerraformWritesIsARulesFileTheFunctionsCompile() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(),
                "locals {\n  objects = { for id, rules in var.source_rules : id => " + perSourceContent() + " }\n}\n");
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("sources", "{ \"orders-app\" = { allowlist = [], rate_per_second = 20, max_secrets = 100 },"
                + " \"billing\" = { allowlist = [], rate_per_second = 5, max_secrets = 1 } }");
        v.put("source_rules", "{ \"orders-app\" = { filter = \"payload.status = 'new'\","
                + " transform = \"{'id': payload.orderid, \\\"kind\\\": 'order'}\" },"
                + " \"billing\" = { transform = \"payload.invoice\" } }");
        TerraformConsole.Output out = console.evaluate(module, v, "jsonencode(local.objects)");
        assertFalse(out.text(), out.refusedAnything());
        JsonNode objects = JSON.readTree(JSON.readTree(out.value()).asText());
        byte[] orders = objects.get("orders-app").asText().getBytes(StandardCharsets.UTF_8);
        assertEquals(new RulesFile("payload.status = 'new'", "{'id': payload.orderid, \"kind\": 'order'}"),
                RulesFile.parse(orders));
        CompiledRules compiled = CompiledRules.fromStored(orders);
        assertEquals(null, compiled.unusable());
        assertEquals(RulesVersion.of(orders), compiled.version());
        assertEquals("only the expressions given: no \"filter\": null", new RulesFile(null, "payload.invoice"),
                RulesFile.parse(objects.get("billing").asText().getBytes(StandardCharsets.UTF_8)));
        assertFalse(objects.get("billing").asText().contains("filter"));
    }

    @Test
    public void theVariableRefusesRulesOfUnknownSourcesAndRulesWithoutAnExpression() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        Map<String, String> cases = Map.of(
                "{ \"nobody\" = { filter = \"true\" } }", "source_rules may only name sources of var.sources",
                "{ \"orders-app\" = {} }", "needs a non-empty filter or transform",
                "{ \"orders-app\" = { transform = \"  \" } }", "needs a non-empty filter or transform");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Map<String, String> v = ApiAuthenticationTest.validVariables();
            v.put("sources", "{ \"orders-app\" = { allowlist = [], rate_per_second = 1, max_secrets = 1 } }");
            v.put("source_rules", c.getKey());
            TerraformConsole.Output out = console.evaluate(module, v, "var.source_rules");
            assertTrue(c.getKey() + " must be refused with \"" + c.getValue() + "\":\n" + out.text(),
                    out.refusedWith(c.getValue()));
        }
    }

    @Test
    public void theExampleRulesCompile() throws Exception {
        String example = Files.readString(RepoPaths.terraform().resolve("terraform.tfvars.example"));
        Matcher m = Pattern.compile("(filter|transform)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(example);
        int found = 0;
        while (m.find()) {
            String expression = m.group(2).replace("\\\"", "\"");
            RulesFile file = m.group(1).equals("filter") ? new RulesFile(expression, null)
                    : new RulesFile(null, expression);
            CompiledRules.compile(file, "example"); // throws, naming the expression and position, if it does not
            found++;
        }
        assertEquals("the example sets a filter and a transform", 2, found);
    }
}
