package dev.datasync.deploy;

import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.Function;
import com.bertramlabs.plugins.hcl4j.RuntimeSymbols.VariableTree;
import com.bertramlabs.plugins.hcl4j.symbols.HCLAttribute;
import com.bertramlabs.plugins.hcl4j.symbols.HCLBlock;
import com.bertramlabs.plugins.hcl4j.symbols.Symbol;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.datasync.deploy.ApiAuthenticationTest.attr;
import static dev.datasync.deploy.ApiAuthenticationTest.literal;
import static dev.datasync.deploy.ApiAuthenticationTest.nested;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The sources of var.sources on OCI: the private state bucket datasync-state with one sources/&lt;id&gt;.json per source
 * (the fields the functions read), a usage plan with the source's rate and a subscriber whose client token is the
 * source id, and the functions' read-only access to the registry.
 */
public class SourceRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The prefixes of datasync-state the functions keep their own state under; sources/ is Terraform's alone. */
    private static final List<String> STATE_PREFIXES = List.of("idempotency", "held", "replay", "redrive", "ingest");
    /**
     * A function's write grant on datasync-state: PutObject and DeleteObject of that bucket's objects whose name starts
     * with one of its prefixes, and nothing else (every alternative under the bucket condition is an object name).
     */
    private static final Pattern STATE_WRITE = Pattern.compile("Allow dynamic-group \\S+ to manage objects in compartment id"
            + " \\$\\{var\\.compartment_ocid} where all \\{target\\.bucket\\.name='\\$\\{oci_objectstorage_bucket\\.state\\.name}', "
            + "(target\\.object\\.name=/\\w+\\*/|any \\{target\\.object\\.name=/\\w+\\*/(, target\\.object\\.name=/\\w+\\*/)*}), "
            + "any \\{request\\.operation='PutObject', request\\.operation='DeleteObject'}}");

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

    @Test
    public void theStateBucketIsPrivateUnversionedAndNeverShared() {
        TfBlock bucket = resource("oci_objectstorage_bucket", "state");
        assertEquals("datasync-state", literal(bucket, "name"));
        assertEquals("NoPublicAccess", literal(bucket, "access_type"));
        assertEquals("Disabled", literal(bucket, "versioning"));
        assertEquals("no pre-authenticated request may open any bucket", List.of(), tf.resources("oci_objectstorage_preauthrequest"));
    }

    @Test
    public void everySourceHasItsObjectWithTheFieldsTheFunctionsRead() {
        TfBlock object = resource("oci_objectstorage_object", "source");
        assertEquals("var.sources", attr(object, "for_each"));
        assertEquals("oci_objectstorage_bucket.state.name", attr(object, "bucket"));
        assertEquals(List.of("sources/${each.key}.json"), object.attribute("object").orElseThrow().strings());
        assertEquals("application/json", literal(object, "content_type"));
        assertEquals(Map.of("id", "each.key", "allowlist", "each.value.allowlist", "ratePerSecond",
                "each.value.rate_per_second", "maxSecrets", "each.value.max_secrets", "signing", "each.value.signing"),
                jsonencodedObject(object.attribute("content").orElseThrow()));
    }

    @Test
    public void theObjectTerraformWritesIsTheRegistryJsonOnceEvaluated() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        String content = Files.readString(RepoPaths.terraform().resolve("sources.tf"));
        Matcher m = Pattern.compile("(?s)\\bcontent\\s*=\\s*(jsonencode\\(\\{.*?}\\))").matcher(content);
        assertTrue("no content = jsonencode({...}) in sources.tf", m.find());
        String perSource = m.group(1).replace("each.key", "id").replace("each.value", "source");
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(),
                "locals {\n  objects = { for id, source in var.sources : id => " + perSource + " }\n}\n");
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("sources", "{ \"orders-app\" = { allowlist = [\"orders.example.com\", \"*.corp.example\"], rate_per_second = 20,"
                + " max_secrets = 100 }, \"billing\" = { allowlist = [], rate_per_second = 5, max_secrets = 1,"
                + " signing = true } }");
        TerraformConsole.Output out = console.evaluate(module, v, "jsonencode(local.objects)");
        assertFalse(out.text(), out.refusedAnything());
        // the console prints the string quoted; its content is the map of the objects' JSON texts
        JsonNode objects = JSON.readTree(JSON.readTree(out.value()).asText());
        assertEquals(JSON.readTree("{\"id\": \"orders-app\", \"allowlist\": [\"orders.example.com\", \"*.corp.example\"],"
                + " \"ratePerSecond\": 20, \"maxSecrets\": 100, \"signing\": false}"),
                JSON.readTree(objects.get("orders-app").asText()));
        assertEquals(JSON.readTree("{\"id\": \"billing\", \"allowlist\": [], \"ratePerSecond\": 5, \"maxSecrets\": 1,"
                        + " \"signing\": true}"),
                JSON.readTree(objects.get("billing").asText()));
    }

    @Test
    public void everySourceHasAUsagePlanWithItsRateAndASubscriberWhoseTokenIsItsId() {
        TfBlock plan = resource("oci_apigateway_usage_plan", "source");
        assertEquals("var.functions_deployed ? var.sources : HCLBlock()", attr(plan, "for_each"));
        TfBlock entitlement = nested(plan, "entitlements");
        assertEquals(1, plan.blocks("entitlements").size());
        assertEquals("SECOND", literal(nested(entitlement, "rate_limit"), "unit"));
        assertEquals("each.value.rate_per_second", attr(nested(entitlement, "rate_limit"), "value"));
        assertEquals(List.of("oci_apigateway_deployment.sync[0].id"),
                entitlement.blocks("targets").stream().map(t -> attr(t, "deployment_id")).toList());

        TfBlock subscriber = resource("oci_apigateway_subscriber", "source");
        assertEquals(attr(plan, "for_each"), attr(subscriber, "for_each"));
        assertEquals("HCLArray(oci_apigateway_usage_plan.source[each.key].id)", attr(subscriber, "usage_plans"));
        List<TfBlock> clients = subscriber.blocks("clients");
        assertEquals(1, clients.size());
        assertEquals("each.key", attr(clients.get(0), "token"));

        // ...and the sync deployment finds the client token in the verified credential's source id claim
        TfBlock sync = resource("oci_apigateway_deployment", "sync");
        assertEquals(List.of("request.auth[${var.source_id_claim}]"),
                nested(sync, "specification", "request_policies", "usage_plans").attribute("token_locations").orElseThrow().strings());
    }

    @Test
    public void theSourcesVariableRefusesBadIdsRatesCapsAndAllowLists() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        Map<String, String> cases = Map.of(
                "{ \"Orders_App\" = { allowlist = [], rate_per_second = 1, max_secrets = 1 } }", "Source ids must match",
                "{ \"" + "a".repeat(33) + "\" = { allowlist = [], rate_per_second = 1, max_secrets = 1 } }", "Source ids must match",
                "{ \"-orders\" = { allowlist = [], rate_per_second = 1, max_secrets = 1 } }", "Source ids must match",
                "{ \"orders\" = { allowlist = [], rate_per_second = 0, max_secrets = 1 } }", "rate_per_second must be a whole number >= 1",
                "{ \"orders\" = { allowlist = [], rate_per_second = 2.5, max_secrets = 1 } }", "rate_per_second must be a whole number >= 1",
                "{ \"orders\" = { allowlist = [], rate_per_second = 1, max_secrets = 0 } }", "max_secrets must be a whole number >= 1",
                "{ \"orders\" = { allowlist = [\"a.example,b.example\"], rate_per_second = 1, max_secrets = 1 } }", "allowlist entries must be non-empty and contain no comma");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Map<String, String> v = ApiAuthenticationTest.validVariables();
            v.put("sources", c.getKey());
            TerraformConsole.Output out = console.evaluate(module, v, "var.sources");
            assertTrue(c.getKey() + " must be refused with \"" + c.getValue() + "\":\n" + out.text(), out.refusedWith(c.getValue()));
        }
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("sources", "{ \"" + "a".repeat(32) + "\" = { allowlist = [], rate_per_second = 1, max_secrets = 1 },"
                + " \"0rders-app-2\" = { allowlist = [\"*.corp.example\"], rate_per_second = 500, max_secrets = 10000 } }");
        TerraformConsole.Output ok = console.evaluate(module, v, "length(var.sources)");
        assertFalse(ok.text(), ok.refusedAnything());
        assertEquals("2", ok.value());
    }

    @Test
    public void theSyncDeploymentNeedsASourceAndAcceptsOnlyRegisteredOnes() {
        TfBlock sync = resource("oci_apigateway_deployment", "sync");
        assertTrue(sync.block("lifecycle").orElseThrow().blocks("precondition").stream()
                .anyMatch(p -> attr(p, "condition").equals("length(var.sources) > 0")));
        assertEquals("sort(keys(var.sources))",
                attr(nested(sync, "specification", "request_policies", "authentication", "verify_claims"), "values"));
    }

    @Test
    public void everyFunctionMayReadTheRegistryAndNothingMayWriteIt() {
        String grant = "read objects in compartment id ${var.compartment_ocid} where target.bucket.name='${oci_objectstorage_bucket.state.name}'";
        for (String fn : List.of("populate", "read", "retry", "ingest")) {
            List<String> statements = IamStatements.of(tf, "oci_identity_policy.function[\"" + fn + "\"]");
            assertTrue(fn + ": " + statements, statements.stream().anyMatch(s -> s.endsWith(" to " + grant)));
        }
        for (Map.Entry<String, List<String>> policy : IamStatements.of(tf).entrySet()) {
            for (String s : policy.getValue()) {
                if (s.contains("oci_objectstorage_bucket.state") || s.contains("datasync-state")) {
                    boolean read = s.contains(" to read objects ");
                    boolean stateWrite = STATE_WRITE.matcher(s).matches();
                    boolean lifecycle = policy.getKey().equals("oci_identity_policy.object_lifecycle");
                    assertTrue(policy.getKey() + " may only read the registry; a function writes only under its state"
                            + " prefixes: " + s, read || stateWrite || lifecycle);
                    if (stateWrite) {
                        Matcher prefix = Pattern.compile("target\\.object\\.name=/(\\w+)\\*/").matcher(s);
                        while (prefix.find()) {
                            assertTrue(policy.getKey() + " writes under " + prefix.group(1) + ": " + s,
                                    STATE_PREFIXES.contains(prefix.group(1)));
                        }
                    }
                }
                if (s.matches(".* to \\w+ (objects|object-family|buckets) in .*")) {
                    assertTrue(policy.getKey() + " must name its bucket: " + s, s.contains(" where ") && s.contains("target.bucket.name="));
                }
            }
        }
    }

    @Test
    public void theFunctionsAreToldWhereTheRegistryIsAndTheLocalStackHasTheBucket() throws Exception {
        Map<String, TfAttribute> config = tf.local("app_config_values").entries();
        assertEquals("oci_objectstorage_bucket.state.name", config.get("state_bucket").text());
        assertEquals("data.oci_objectstorage_namespace.tenancy.namespace", config.get("object_storage_namespace").text());
        JsonNode declaration = JSON.readTree(RepoPaths.funcConfigs().resolve("local/oci-declaration.json").toFile());
        List<String> buckets = new ArrayList<>();
        declaration.path("buckets").forEach(b -> buckets.add(b.path("name").asText()));
        assertTrue(buckets.toString(), buckets.contains("datasync-state"));
        assertTrue(Files.readString(RepoPaths.funcConfigs().resolve("README.md")).contains("| `datasync-state` |"));
    }

    /** Key => value expression of the object literal inside {@code jsonencode({...})}. */
    private static Map<String, String> jsonencodedObject(TfAttribute attribute) {
        List<Symbol> expression = attribute.expression();
        assertTrue(attribute.text(), expression.size() == 1 && expression.get(0) instanceof VariableTree);
        Symbol call = expression.get(0).getChildren().get(0);
        assertTrue(attribute.text(), call instanceof Function f && f.getName().equals("jsonencode"));
        Symbol object = call.getChildren().get(0);
        assertTrue(attribute.text(), object instanceof HCLBlock);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Symbol field : object.getChildren()) {
            HCLAttribute a = (HCLAttribute) field;
            out.put(a.getName(), TfReference.render(a.getChildren()));
        }
        assertEquals("field names must be unique", out.size(), object.getChildren().size());
        return out;
    }
}
