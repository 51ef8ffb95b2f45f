package dev.datasync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.events.EventCondition;
import dev.datasync.local.events.IngestRuleCondition;
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
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Bulk ingest on OCI, checked offline: the bucket emits object events, the Events rule's condition (event types,
 * bucket, namespace, name pattern) is the one the local stack applies and matches uploads only, its action invokes
 * bulk-ingest-fn, the function's grants are its own and narrow, each source's uploader reaches its own prefix only;
 * and the private stream endpoint option (pool and functions in one subnet of the VCN, 443 only from it, the
 * functions on the endpoint's FQDN).
 */
public class BulkIngestTerraformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CONDITION = RepoPaths.funcConfigs().resolve("ingest-events-condition.json.tftpl");

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
    public void theIngestBucketEmitsObjectEventsAndTheFunctionsAreToldItsName() {
        TfBlock bucket = resource("oci_objectstorage_bucket", "ingest");
        assertEquals("datasync-ingest", literal(bucket, "name"));
        assertEquals("true", attr(bucket, "object_events_enabled"));
        assertEquals("NoPublicAccess", literal(bucket, "access_type"));
        assertEquals("Disabled", literal(bucket, "versioning"));
        Map<String, TfAttribute> config = tf.local("app_config_values").entries();
        assertEquals("oci_objectstorage_bucket.ingest.name", config.get("ingest_bucket").text());
        assertEquals("var.ingest_object_name_pattern", config.get("ingest_object_name_pattern").text());
        assertEquals("no pre-authenticated request may open any bucket", List.of(),
                tf.resources("oci_objectstorage_preauthrequest"));
    }

    @Test
    public void theRuleInvokesBulkIngestWithTheConditionOfTheSharedTemplate() throws Exception {
        TfBlock rule = resource("oci_events_rule", "ingest");
        assertEquals("var.functions_deployed ? 1 : 0", attr(rule, "count"));
        assertEquals("true", attr(rule, "is_enabled"));
        assertEquals("DataSyncIngestObjects", literal(rule, "display_name"));
        assertEquals("local.ingest_rule_condition", attr(rule, "condition"));
        TfBlock action = nested(rule, "actions", "action");
        assertEquals("FAAS", literal(action, "action_type"));
        assertEquals("true", attr(action, "is_enabled"));
        assertEquals("local.ingest_function_id", attr(action, "function_id"));
        String ingest = Files.readString(RepoPaths.terraform().resolve("ingest.tf"));
        for (String wiring : List.of("templatefile(\"${path.module}/../func-configs/ingest-events-condition.json.tftpl\"",
                "bucket_name         = oci_objectstorage_bucket.ingest.name",
                "namespace           = data.oci_objectstorage_namespace.tenancy.namespace",
                "object_name_pattern = var.ingest_object_name_pattern")) {
            assertTrue("ingest.tf renders the condition with " + wiring, ingest.contains(wiring));
        }
        // OCI Events invokes functions as the service cloudEvents
        assertEquals(List.of("Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}"),
                IamStatements.of(tf, "oci_identity_policy.events_invoke"));
    }

    /** Terraform's rendering of the template, with the default pattern or {@code pattern}. */
    private JsonNode terraformCondition(String pattern) throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "locals {\n"
                + "  condition = jsonencode(jsondecode(templatefile(\"" + CONDITION.toAbsolutePath() + "\", {\n"
                + "    bucket_name = \"datasync-ingest\", namespace = \"axaxnpcrorw5\",\n"
                + "    object_name_pattern = var.ingest_object_name_pattern })))\n}\n");
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        if (pattern != null) {
            v.put("ingest_object_name_pattern", JSON.writeValueAsString(pattern));
        }
        TerraformConsole.Output out = console.evaluate(module, v, "local.condition");
        assertFalse(out.text(), out.refusedAnything());
        return JSON.readTree(JSON.readTree(out.value()).asText());
    }

    private static ObjectNode event(String type, String bucket, String namespace, String name) {
        ObjectNode e = JSON.createObjectNode();
        e.put("cloudEventsVersion", "0.1");
        e.put("eventType", "com.oraclecloud.objectstorage." + type);
        ObjectNode data = e.putObject("data");
        data.put("resourceName", name);
        ObjectNode details = data.putObject("additionalDetails");
        details.put("bucketName", bucket);
        details.put("namespace", namespace);
        details.put("eTag", "e1");
        return e;
    }

    @Test
    public void theConditionIsTheLocalRuleAndMatchesUploadsAndContinuationsOnly() throws Exception {
        JsonNode condition = terraformCondition(null);
        assertEquals("Terraform's rule and the local stack's are one", IngestRuleCondition.render(CONDITION, Map.of(
                "bucket_name", "datasync-ingest", "namespace", "axaxnpcrorw5", "object_name_pattern", "incoming/*")),
                condition);
        String ns = "axaxnpcrorw5";
        assertTrue(EventCondition.matches(condition, event("createobject", "datasync-ingest", ns, "incoming/a/x.jsonl")));
        assertTrue(EventCondition.matches(condition, event("updateobject", "datasync-ingest", ns, "incoming/a/x.jsonl")));
        assertTrue(EventCondition.matches(condition, event("updateobject", "datasync-ingest", ns, "continue/a/x.jsonl")));
        assertFalse(EventCondition.matches(condition, event("deleteobject", "datasync-ingest", ns, "incoming/a/x")));
        assertFalse(EventCondition.matches(condition, event("createobject", "datasync-ingest", ns, "results/a/x.jsonl")));
        assertFalse(EventCondition.matches(condition, event("createobject", "datasync-ingest", ns, "processed/a/x")));
        assertFalse(EventCondition.matches(condition, event("createobject", "datasync-state", ns, "incoming/a/x")));
        assertFalse(EventCondition.matches(condition, event("createobject", "datasync-ingest", "other", "incoming/a/x")));

        JsonNode jsonl = terraformCondition("incoming/*/*.jsonl");
        assertTrue(EventCondition.matches(jsonl, event("createobject", "datasync-ingest", ns, "incoming/a/x.jsonl")));
        assertFalse(EventCondition.matches(jsonl, event("createobject", "datasync-ingest", ns, "incoming/a/x.csv")));
    }

    @Test
    public void theNamePatternMustLieUnderIncoming() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("ingest_object_name_pattern", "\"results/*\"");
        assertTrue(console.evaluate(module, v, "var.ingest_object_name_pattern")
                .refusedWith("ingest_object_name_pattern must start with incoming/"));
    }

    @Test
    public void bulkIngestGetsItsOwnNarrowGrants() {
        List<String> s = IamStatements.of(tf, "oci_identity_policy.function[\"ingest\"]");
        String all = String.join("\n", s);
        assertTrue(all, all.contains("use stream-push in compartment id ${local.stream_compartment_ocid} where"
                + " target.stream.id='${oci_streaming_stream.data.id}'"));
        assertTrue(all, all.contains("read objects in compartment id ${var.compartment_ocid} where all"
                + " {target.bucket.name='${oci_objectstorage_bucket.ingest.name}', any {target.object.name=/incoming*/,"
                + " target.object.name=/continue*/}}"));
        assertTrue("a finished file moves from incoming/ to processed/: " + all, all.contains(
                "any {target.object.name=/incoming*/, target.object.name=/processed*/}, request.operation='RenameObject'}"));
        for (String statement : s) {
            if (statement.contains(" to manage objects ")) {
                assertTrue("a write names its objects: " + statement, statement.contains("target.object.name=/"));
                assertTrue("and its operations: " + statement, statement.contains("request.operation="));
                assertFalse("never the uploads' own names: " + statement, statement.contains("request.operation='GetObject'"));
            }
            if (statement.contains("oci_objectstorage_bucket.state") && statement.contains(" to manage ")) {
                assertTrue("its progress only, never the registry: " + statement,
                        statement.contains("target.object.name=/ingest*/"));
            }
            if (statement.contains(" secrets ")) {
                assertFalse("never creates or deletes a secret: " + statement,
                        statement.contains("CreateSecret") || statement.contains("ScheduleSecretDeletion"));
            }
        }
        assertFalse("never a secret's content", all.contains("secret-bundles") || all.contains("secret-family"));
        assertTrue(all, all.contains("request.operation='UpdateSecret'") && all.contains("request.operation='CancelSecretDeletion'"));
    }

    @Test
    public void eachUploaderWritesItsOwnPrefixOnly() throws Exception {
        TerraformConsole console = ApiAuthenticationTest.console();
        String ingest = Files.readString(RepoPaths.terraform().resolve("ingest.tf"));
        Matcher m = Pattern.compile("(?s)resource \"oci_identity_policy\" \"ingest_uploaders\" \\{.*?statements = (concat\\(.*?\\n  \\))")
                .matcher(ingest);
        assertTrue("no statements = concat(...) in ingest_uploaders", m.find());
        String statements = m.group(1).replace("${oci_objectstorage_bucket.ingest.name}", "datasync-ingest");
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(),
                "locals {\n  statements = " + statements + "\n}\n");
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("ingest_uploader_groups", "{ \"orders-app\" = \"OrdersUploaders\", \"billing\" = \"BillingUploaders\" }");
        TerraformConsole.Output out = console.evaluate(module, v, "jsonencode(local.statements)");
        assertFalse(out.text(), out.refusedAnything());
        List<String> evaluated = JSON.readValue(JSON.readTree(out.value()).asText(),
                JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertEquals(4, evaluated.size());
        for (String s : evaluated) {
            String own = s.startsWith("Allow group OrdersUploaders ") ? "orders-app" : "billing";
            String other = own.equals("orders-app") ? "billing" : "orders-app";
            assertTrue(s, s.contains("target.bucket.name='datasync-ingest'"));
            assertTrue(s, s.contains("target.object.name=/incoming/" + own + "/*/")
                    || s.contains("target.object.name=/results/" + own + "/*/"));
            assertFalse(s, s.contains("/" + other + "/"));
            if (s.contains(" to manage objects ")) {
                assertTrue("uploads only (create, overwrite, head): " + s, s.contains("/incoming/" + own + "/*/")
                        && s.contains("request.permission='OBJECT_CREATE'") && !s.contains("OBJECT_DELETE"));
            } else {
                assertTrue(s, s.contains(" to read objects ") && s.contains("/results/" + own + "/*/"));
            }
        }
        TfBlock policy = resource("oci_identity_policy", "ingest_uploaders");
        assertTrue(nested(policy, "lifecycle", "precondition").attribute("condition").orElseThrow().text()
                .contains("keys(var.sources)"));
    }

    @Test
    public void thePrivateEndpointSitsWithTheFunctionsInTheVcnAndTheyUseItsFqdn() throws Exception {
        TfBlock functionsSubnet = resource("oci_core_subnet", "functions");
        assertEquals("oci_core_vcn.datasync.id", attr(functionsSubnet, "vcn_id"));
        assertEquals("true", attr(functionsSubnet, "prohibit_public_ip_on_vnic"));
        assertEquals("HCLArray(oci_core_subnet.functions.id)", attr(resource("oci_functions_application", "datasync"),
                "subnet_ids"));
        TfBlock endpoint = dynamic(resource("oci_streaming_stream_pool", "datasync"), "private_endpoint_settings");
        assertEquals("var.stream_pool_private_endpoint ? HCLArray(oci_core_subnet.functions.id) : HCLArray()",
                attr(endpoint, "for_each"));
        assertEquals("private_endpoint_settings.value", attr(nested(endpoint, "content"), "subnet_id"));

        // 443 in, only from the functions subnet (inside the VCN), and only with the option
        TfBlock list = resource("oci_core_security_list", "functions");
        assertTrue("no static ingress rule", list.blocks("ingress_security_rules").isEmpty());
        List<TfBlock> ingress = list.blocks("dynamic").stream()
                .filter(d -> d.labels().get(0).equals("ingress_security_rules")).toList();
        assertEquals(1, ingress.size());
        assertEquals("var.stream_pool_private_endpoint ? HCLArray(var.functions_subnet_cidr) : HCLArray()",
                attr(ingress.get(0), "for_each"));
        TfBlock rule = nested(ingress.get(0), "content");
        assertEquals("ingress_security_rules.value", attr(rule, "source"));
        assertEquals("6", literal(rule, "protocol"));
        assertEquals("443", attr(nested(rule, "tcp_options"), "min"));
        assertEquals("443", attr(nested(rule, "tcp_options"), "max"));

        // the functions' stream_messages_endpoint: the private endpoint's FQDN with the option, else the stream's
        TerraformConsole console = ApiAuthenticationTest.console();
        String expression = tf.local("private_stream_endpoint").text();
        assertTrue(expression, expression.contains("oci_streaming_stream_pool.datasync.endpoint_fqdn"));
        String locals = Files.readString(RepoPaths.terraform().resolve("locals.tf"));
        Matcher m = Pattern.compile("(?s)private_stream_endpoint = (var\\.stream_pool_private_endpoint \\?.*?: \\{})")
                .matcher(locals);
        assertTrue("private_stream_endpoint in locals.tf", m.find());
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "locals {\n  e = "
                + m.group(1).replace("${oci_streaming_stream_pool.datasync.endpoint_fqdn}",
                "abc123.streaming.us-ashburn-1.oci.oraclecloud.com") + "\n}\n");
        Map<String, String> v = ApiAuthenticationTest.validVariables();
        v.put("stream_pool_private_endpoint", "true");
        assertEquals("\"https://abc123.streaming.us-ashburn-1.oci.oraclecloud.com\"",
                console.evaluate(module, v, "local.e.stream_messages_endpoint").value());
        v.put("stream_pool_private_endpoint", "false");
        assertEquals("0", console.evaluate(module, v, "length(local.e)").value());
        // ...merged over the template's value (the stream's messages endpoint), under the user's overrides
        assertTrue(tf.local("app_config").text(), tf.local("app_config").text().contains(
                "local.app_config_values)), local.private_stream_endpoint, var.function_config_overrides)"));
        assertTrue(locals.contains("stream_messages_endpoint             = oci_streaming_stream.data.messages_endpoint"));
    }

    private static TfBlock dynamic(TfBlock block, String name) {
        return block.blocks("dynamic").stream().filter(d -> d.labels().get(0).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(block.address() + " has no dynamic " + name));
    }
}
