package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * One check per Terraform defect of the reference sample (docs/examples/function-app-config.md; each is listed with
 * what this project does instead in docs/reference-defects.md), read from
 * the wiring of terraform/ itself: swapped compartments, default_error_stream_ocid pointing at the 503 stream,
 * a key version where the master key is needed, a placeholder KMS key, no IAM, error streams neither archived
 * nor notified, a public retry route.
 */
public class ReferenceDefectsRegressionTest {

    private static TfConfig tf;
    private static Map<String, TfAttribute> config;

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
        config = tf.local("app_config_values").entries();
    }

    private static String wired(String key) {
        TfAttribute a = config.get(key);
        assertTrue("local.app_config_values has no " + key, a != null);
        return a.text();
    }

    private static TfBlock resource(String type, String name) {
        return tf.resource(type, name).orElseThrow(() -> new AssertionError(type + "." + name + " is not declared"));
    }

    private static String attr(TfBlock block, String name) {
        return block.attribute(name).orElseThrow(() -> new AssertionError(block.address() + " has no " + name)).text();
    }

    private static TfBlock nested(TfBlock block, String... path) {
        TfBlock b = block;
        for (String p : path) {
            TfBlock parent = b;
            b = b.block(p).orElseThrow(() -> new AssertionError(parent.address() + " has no block " + p));
        }
        return b;
    }

    /** The statements of one policy instance (IamStatements: ${local.x} and the for_each instances expanded). */
    private static List<String> statements(String address) {
        return IamStatements.of(tf, address);
    }

    /** The statements of the function policy instance of local.function_grants[key]. */
    private static List<String> functionStatements(String key) {
        return statements("oci_identity_policy.function[\"" + key + "\"]");
    }

    @Test
    public void streamAndVaultCompartmentsAreNotSwapped() {
        assertEquals("local.stream_compartment_ocid", wired("stream_compartment_ocid"));
        assertEquals("local.vault_compartment_ocid", wired("vault_compartment_ocid"));
        assertTrue(tf.local("stream_compartment_ocid").text().contains("var.stream_compartment_ocid"));
        assertTrue(tf.local("vault_compartment_ocid").text().contains("var.vault_compartment_ocid"));
        // ...and the resources live where the configuration says they are.
        assertEquals("local.stream_compartment_ocid", attr(resource("oci_streaming_stream_pool", "datasync"), "compartment_id"));
        assertEquals("local.vault_compartment_ocid", attr(resource("oci_kms_vault", "datasync"), "compartment_id"));
        assertEquals("local.vault_compartment_ocid", attr(resource("oci_kms_key", "master"), "compartment_id"));
    }

    @Test
    public void everyErrorClassHasItsOwnStreamAndDefaultIsNotThe503Stream() {
        Map<String, String> expected = Map.of(
                "unrecoverable_error_stream_ocid", "oci_streaming_stream.error[\"unrecoverable\"].id",
                "serviceUnavailable_error_stream_ocid", "oci_streaming_stream.error[\"serviceUnavailable\"].id",
                "internalserver_error_stream_ocid", "oci_streaming_stream.error[\"internalserver\"].id",
                "default_error_stream_ocid", "oci_streaming_stream.error[\"default\"].id");
        expected.forEach((key, wiring) -> assertEquals(key, wiring, wired(key)));
        assertNotEquals(wired("default_error_stream_ocid"), wired("serviceUnavailable_error_stream_ocid"));
        assertEquals("var.error_streams", attr(resource("oci_streaming_stream", "error"), "for_each"));
        // The default stream names are distinct, and a validation keeps them distinct.
        TfBlock errorStreams = tf.variables().get("error_streams");
        Map<String, TfAttribute> names = errorStreams.attribute("default").orElseThrow().entries();
        Set<String> distinct = names.values().stream().map(a -> a.literal().orElseThrow()).collect(Collectors.toSet());
        assertEquals(Set.of("unrecoverable", "serviceUnavailable", "internalserver", "default"), names.keySet());
        assertEquals(4, distinct.size());
        assertTrue(errorStreams.blocks("validation").stream().anyMatch(v -> v.attribute("condition").orElseThrow()
                .text().contains("distinct")));
    }

    @Test
    public void theFunctionsGetTheMasterKeyNotAKeyVersion() throws Exception {
        assertEquals("oci_kms_key.master.id", wired("vault_key_ocid"));
        assertEquals("oci_kms_vault.datasync.id", wired("vault_ocid"));
        for (String text : allTerraformText()) {
            assertFalse("a key version is referenced", text.contains("current_key_version") || text.contains("key_version_id"));
        }
    }

    @Test
    public void noPlaceholderKmsKeyAndNoHardCodedOcid() throws Exception {
        TfBlock pool = resource("oci_streaming_stream_pool", "datasync");
        pool.blocks("custom_encryption_key").forEach(k ->
                assertTrue("stream pool key must be a key of this configuration", attr(k, "kms_key_id").startsWith("oci_kms_key.")));
        // No OCID literal in any resource or data block: every OCID is wired from a resource or a variable.
        Pattern ocid = Pattern.compile("ocid1\\.[a-z]+\\.");
        List<String> literals = new ArrayList<>();
        for (TfBlock b : tf.blocks()) {
            if (b.type().equals("resource") || b.type().equals("data") || b.type().equals("locals")) {
                collectLiterals(b, literals);
            }
        }
        List<String> hardCoded = literals.stream().filter(s -> ocid.matcher(s).find()).collect(Collectors.toList());
        assertEquals("hard-coded OCIDs", List.of(), hardCoded);
    }

    @Test
    public void iamGrantsEveryPrincipalWhatItNeedsAndOnlyThat() {
        // Dynamic groups match exactly one function each (resource principal of that function): one group and one
        // policy per entry of local.function_grants, both only once the functions are deployed.
        Map<String, String> groups = Map.of("populate", "local.populate_function_id", "read", "local.read_function_id",
                "retry", "local.retry_function_id", "ingest", "local.ingest_function_id");
        TfBlock group = resource("oci_identity_dynamic_group", "function");
        TfBlock functionPolicy = resource("oci_identity_policy", "function");
        for (TfBlock b : List.of(group, functionPolicy)) {
            assertTrue(b.address() + " must exist only once the functions are deployed: " + attr(b, "for_each"),
                    attr(b, "for_each").startsWith("var.functions_deployed ? local.function_grants :"));
        }
        Map<String, Map<String, TfAttribute>> grants = IamStatements.forEachEntries(tf, group);
        assertEquals(groups.keySet(), grants.keySet());
        String rule = String.join("", group.attribute("matching_rule").orElseThrow().strings());
        assertTrue(rule, rule.contains("resource.type = 'fnfunc'") && rule.contains("resource.id = '${each.value.function_id}'"));
        // The group and the policy of a function share its name (docs/deploy.md lists the policies by it).
        assertEquals("each.value.name", attr(group, "name"));
        assertEquals("each.value.name", attr(functionPolicy, "name"));
        Map<String, String> names = Map.of("populate", "DataSyncPopulateFunction", "read", "DataSyncReadFunction",
                "retry", "DataSyncRetryFunction", "ingest", "DataSyncBulkIngestFunction");
        groups.forEach((name, fn) -> {
            assertEquals("function_grants." + name + ".function_id", fn, grants.get(name).get("function_id").text());
            assertEquals("function_grants." + name + ".name", names.get(name), grants.get(name).get("name").literal().orElseThrow());
            // ...and each function's policy grants to its own group only.
            for (String s : functionStatements(name)) {
                assertTrue(s, s.startsWith("Allow dynamic-group ${oci_identity_dynamic_group.function[\"" + name + "\"].name} to "));
            }
        });
        String populate = String.join("\n", functionStatements("populate"));
        assertTrue(populate, populate.contains("use stream-push") && populate.contains("${oci_streaming_stream.data.id}"));
        // populate creates secrets, reads and updates their metadata, schedules/cancels deletion of its unused
        // ones; it never reads their content
        assertTrue(populate, populate.contains("read secrets") && populate.contains("target.vault.id='${oci_kms_vault.datasync.id}'"));
        assertTrue(populate, populate.contains("manage secrets") && populate.contains("request.operation='CreateSecret'")
                && populate.contains("request.operation='UpdateSecret'")
                && populate.contains("request.operation='ScheduleSecretDeletion'")
                && populate.contains("request.operation='CancelSecretDeletion'"));
        assertFalse(populate, populate.contains("secret-family") || populate.contains("secret-bundles"));
        for (String s : functionStatements("populate")) {
            assertTrue("every manage grant of populate must be narrowed to named operations: " + s,
                    !s.contains(" to manage ") || s.contains("request.operation="));
        }
        assertTrue(populate, populate.contains("use keys") && populate.contains("target.key.id='${oci_kms_key.master.id}'"));
        assertFalse(String.join("\n", functionStatements("read")).contains("secret-family"));
        assertFalse(String.join("\n", functionStatements("retry")).contains("secret-family"));
        String read = String.join("\n", functionStatements("read"));
        assertTrue(read, read.contains("read secret-bundles") && read.contains("use stream-push") && !read.contains("stream-pull"));
        String retry = String.join("\n", functionStatements("retry"));
        assertTrue(retry, retry.contains("use stream-pull") && retry.contains("use stream-push") && retry.contains("read secret-bundles"));
        String sch = String.join("\n", statements("oci_identity_policy.service_connectors"));
        assertTrue(sch, sch.contains("{STREAM_READ, STREAM_CONSUME}") && sch.contains("use ons-topics") && sch.contains("manage objects"));
        String invoke = String.join("\n", statements("oci_identity_policy.read_connector"));
        assertTrue(invoke, invoke.contains("use fn-function") && invoke.contains("use fn-invocation")
                && invoke.contains("request.principal.type='serviceconnector'"));
        String gateway = String.join("\n", statements("oci_identity_policy.api_gateway"));
        assertTrue(gateway, gateway.contains("use functions-family") && gateway.contains("request.principal.type='ApiGateway'"));

        for (Map.Entry<String, List<String>> policy : IamStatements.of(tf).entrySet()) {
            for (String s : policy.getValue()) {
                assertFalse(policy.getKey() + ": " + s, s.contains("all-resources"));
                if (s.startsWith("Allow dynamic-group") || s.startsWith("Allow any-user")) {
                    assertTrue(policy.getKey() + " must scope with a condition: " + s, s.contains(" where "));
                }
                if (s.startsWith("Allow any-user")) {
                    assertTrue(policy.getKey() + " any-user must be narrowed to a service principal: " + s,
                            s.contains("request.principal.type="));
                }
            }
        }
    }

    @Test
    public void theVaultCallsOfTheCodeAreTheOnesIamGrants() throws Exception {
        // iam.tf grants populate ListSecrets/GetSecret (read secrets) and Create/Update/ScheduleDeletion/
        // CancelDeletion (manage secrets, narrowed by request.operation), and the other two functions
        // GetSecretBundleByName only (read secret-bundles). A new Vault call in shared-model needs a new grant: this
        // fails until both change together.
        Set<String> calls = new java.util.TreeSet<>();
        try (var files = Files.walk(RepoPaths.root().resolve("shared-model"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/")).toList()) {
                Pattern.compile("import com\\.oracle\\.bmc\\.(?:vault|secrets)\\.requests\\.(\\w+)Request;")
                        .matcher(Files.readString(file)).results().map(m -> m.group(1)).forEach(calls::add);
            }
        }
        assertEquals(Set.of("CancelSecretDeletion", "CreateSecret", "GetSecret", "GetSecretBundleByName",
                "ListSecrets", "ScheduleSecretDeletion", "UpdateSecret"), calls);
        String populate = String.join("\n", functionStatements("populate"));
        for (String operation : List.of("CreateSecret", "UpdateSecret", "ScheduleSecretDeletion", "CancelSecretDeletion")) {
            assertTrue("populate's grant must name " + operation, populate.contains("request.operation='" + operation + "'"));
        }
    }

    @Test
    public void everyErrorStreamIsArchivedAndNotified() {
        // local.failure_streams is every error stream, unfiltered, plus DeadLetterStream
        assertTrue(tf.local("failure_streams").text(), tf.local("failure_streams").text()
                .matches("merge\\(oci_streaming_stream\\.error, HCLBlock\\(HCLAttribute\\(oci_streaming_stream\\.dead_letter\\)\\)\\)"));
        TfBlock archive = resource("oci_sch_service_connector", "error_to_archive");
        assertEquals("error_to_archive must cover every error stream, unfiltered", "local.failure_streams", attr(archive, "for_each"));
        assertEquals("each.value.id", attr(nested(archive, "source"), "stream_id"));
        assertEquals("\"streaming\"", attr(nested(archive, "source"), "kind"));
        assertEquals("\"objectStorage\"", attr(nested(archive, "target"), "kind"));
        // Notified as a digest: one alarm per error stream on its PutMessages metric, to the topic, no payload.
        TfBlock alarm = resource("oci_monitoring_alarm", "error_stream");
        assertEquals("every error stream has its alarm", "local.failure_streams", attr(alarm, "for_each"));
        assertEquals("\"oci_streaming\"", attr(alarm, "namespace"));
        String query = String.join("", alarm.attribute("query").orElseThrow().strings());
        assertTrue(query, query.startsWith("PutMessagesThroughput.Count[1m]{resourceId = \"${each.value.id}\"}") && query.endsWith("> 0"));
        assertTrue(attr(alarm, "destinations"), attr(alarm, "destinations").contains("oci_ons_notification_topic.errors.id"));
        assertEquals("local.stream_compartment_ocid", attr(alarm, "metric_compartment_id"));
        assertEquals("true", attr(alarm, "is_enabled"));
        // The raw connectors (payloads e-mailed, 64 KB limit) exist only on request, still for every stream.
        TfBlock raw = resource("oci_sch_service_connector", "error_to_topic");
        assertTrue(attr(raw, "for_each"), attr(raw, "for_each").startsWith("var.error_topic_raw_messages ? local.failure_streams :"));
        assertEquals("false", attr(tf.variables().get("error_topic_raw_messages"), "default"));
        assertEquals("\"notifications\"", attr(nested(raw, "target"), "kind"));
        assertEquals("oci_ons_notification_topic.errors.id", attr(nested(raw, "target"), "topic_id"));
        assertEquals("oci_objectstorage_bucket.archive.name", attr(nested(resource("oci_sch_service_connector", "error_to_archive"), "target"), "bucket"));
        // ...and the connectors may read every error stream.
        List<String> sch = statements("oci_identity_policy.service_connectors");
        assertTrue(sch.toString(), sch.stream().anyMatch(s -> s.contains("STREAM_READ") && s.contains("target.stream.id='${s.id}'")));
        assertEquals("private archive", "\"NoPublicAccess\"", attr(resource("oci_objectstorage_bucket", "archive"), "access_type"));
        assertEquals("\"Enabled\"", attr(resource("oci_objectstorage_bucket", "archive"), "versioning"));
    }

    @Test
    public void theRetryRouteIsAuthenticated() {
        // POST /stream/retry is the retry deployment (path prefix /stream/retry) with its one route "/".
        TfBlock deployment = resource("oci_apigateway_deployment", "retry");
        TfBlock spec = nested(deployment, "specification");
        TfBlock auth = nested(spec, "request_policies", "authentication");
        assertEquals("\"JWT_AUTHENTICATION\"", attr(auth, "type"));
        assertEquals("var.admin_token_header", attr(auth, "token_header"));
        String prefix = attr(deployment, "path_prefix").replace("\"", "");
        TfBlock retry = spec.blocks("routes").stream()
                .filter(r -> (prefix + attr(r, "path").replace("\"", "")).replaceAll("/$", "").equals("/stream/retry"))
                .findFirst().orElseThrow(() -> new AssertionError("no /stream/retry route"));
        assertEquals("\"AUTHENTICATION_ONLY\"", attr(nested(retry, "request_policies", "authorization"), "type"));
        assertEquals("\"ORACLE_FUNCTIONS_BACKEND\"", attr(nested(retry, "backend"), "type"));
        assertEquals("local.retry_function_id", attr(nested(retry, "backend"), "function_id"));
        // The JWT's issuers and audiences have no default: an apply without them is refused.
        for (String v : List.of("admin_jwt_issuers", "admin_jwt_audiences")) {
            assertTrue(v + " must be required", tf.variables().get(v).attribute("default").isEmpty());
        }
        // The admin token never shares the header that carries the caller's target token on /stream/sync.
        assertFalse(attr(tf.variables().get("admin_token_header"), "default").equalsIgnoreCase("\"Authorization\""));
        assertTrue(nested(spec, "request_policies").block("rate_limiting").isPresent());
    }

    @Test
    public void retryMayReadExactlyTheErrorStreamsAndTheAllowListComesFromAVariable() {
        assertEquals("join(\",\", local.error_stream_ids)", wired("retryable_stream_ocids"));
        assertTrue(tf.local("error_stream_ids").text().contains("oci_streaming_stream.error"));
        assertEquals("join(\",\", var.target_allowlist)", wired("target_allowlist"));
        assertEquals("oci_streaming_stream.data.messages_endpoint", wired("stream_messages_endpoint"));
        assertEquals("oci_streaming_stream.data.id", wired("data_stream_ocid"));
        assertEquals("\"resource_principal\"", wired("oci_auth"));
        assertEquals("\"false\"", wired("allow_http_targets"));
    }

    private static void collectLiterals(TfBlock block, List<String> out) {
        block.attributes().forEach(a -> out.addAll(a.strings()));
        block.blocks().forEach(b -> collectLiterals(b, out));
    }

    private static List<String> allTerraformText() throws Exception {
        try (Stream<Path> files = Files.list(RepoPaths.terraform())) {
            List<String> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".tf")).collect(Collectors.toList())) {
                out.add(Files.readString(p));
            }
            return out;
        }
    }
}
