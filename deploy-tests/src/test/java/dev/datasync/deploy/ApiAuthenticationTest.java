package dev.datasync.deploy;

import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * terraform/apigateway.tf against issue 9: no route is anonymous; the source id reaches a function only from the
 * gateway, set from the verified credential; the admin and source credentials are separate (audience, header, keys),
 * so neither is accepted where the other belongs.
 */
public class ApiAuthenticationTest {

    private static final String SOURCE_ID_HEADER = "X-DataSync-Source-Id";
    private static final String SOURCE_TOKEN_HEADER = "X-DataSync-Source-Token";
    private static final String SOURCE_AUDIENCE = "datasync-sync";

    private static TfConfig tf;
    private static TfBlock sync;
    private static TfBlock retry;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
        sync = tf.resource("oci_apigateway_deployment", "sync").orElseThrow(() -> new AssertionError("no sync deployment"));
        retry = tf.resource("oci_apigateway_deployment", "retry").orElseThrow(() -> new AssertionError("no retry deployment"));
    }

    // ------------------------------------------------------------------------------------------------
    // No route is anonymous
    // ------------------------------------------------------------------------------------------------

    @Test
    public void everyDeploymentAuthenticatesWithAJwtAndAllowsNoAnonymousAccess() {
        List<TfBlock> deployments = tf.resources("oci_apigateway_deployment");
        assertEquals(2, deployments.size());
        for (TfBlock d : deployments) {
            TfBlock policies = nested(d, "specification", "request_policies");
            assertTrue(d.address() + ": one authentication policy, no dynamic one",
                    policies.blocks("authentication").size() == 1 && policies.blocks("dynamic_authentication").isEmpty());
            TfBlock auth = nested(policies, "authentication");
            assertEquals(d.address(), "JWT_AUTHENTICATION", literal(auth, "type"));
            // written out, not an expression that could turn true
            assertEquals(d.address() + " must say is_anonymous_access_allowed = false", "false",
                    literal(auth, "is_anonymous_access_allowed"));
            assertEquals(d.address(), "Bearer", literal(auth, "token_auth_scheme"));
            assertTrue(d.address() + " checks a signature", auth.block("public_keys").isPresent());
            for (String claimList : List.of("issuers", "audiences")) {
                assertTrue(d.address() + " checks " + claimList, auth.attribute(claimList).isPresent());
            }
        }
    }

    @Test
    public void noRouteIsAnonymous() {
        int routes = 0;
        for (TfBlock d : tf.resources("oci_apigateway_deployment")) {
            for (TfBlock route : nested(d, "specification").blocks("routes")) {
                routes++;
                // a literal, so that no variable can make it ANONYMOUS
                String type = literal(nested(route, "request_policies", "authorization"), "type");
                assertTrue(d.address() + " route " + attr(route, "path") + ": " + type,
                        Set.of("AUTHENTICATION_ONLY", "ANY_OF").contains(type));
            }
        }
        assertEquals(2, routes);
        assertFalse("a switch back to an anonymous /stream/sync", tf.variables().containsKey("sync_route_requires_auth"));
        for (TfBlock b : tf.blocks()) {
            assertFalse(b.where() + " mentions ANONYMOUS", strings(b).stream().anyMatch(s -> s.contains("ANONYMOUS")));
        }
    }

    @Test
    public void thePublicUrlsArePostStreamSyncAndPostStreamRetry() {
        Map<String, String> functionByUrl = new LinkedHashMap<>();
        for (TfBlock d : List.of(sync, retry)) {
            for (TfBlock route : nested(d, "specification").blocks("routes")) {
                String url = (literal(d, "path_prefix") + literal(route, "path")).replaceAll("/$", "");
                assertEquals(url, List.of("POST"), route.attribute("methods").orElseThrow().strings());
                assertEquals("\"ORACLE_FUNCTIONS_BACKEND\"", attr(nested(route, "backend"), "type"));
                functionByUrl.put(url, attr(nested(route, "backend"), "function_id"));
            }
        }
        assertEquals(Map.of("/stream/sync", "local.populate_function_id", "/stream/retry", "local.retry_function_id"),
                functionByUrl);
        // the outputs are the deployments' endpoints: gateway host + path prefix
        assertTrue(output("sync_url").contains("oci_apigateway_deployment.sync[0].endpoint"));
        assertTrue(output("retry_url").contains("oci_apigateway_deployment.retry[0].endpoint"));
    }

    // ------------------------------------------------------------------------------------------------
    // The source id reaches a function only from the gateway
    // ------------------------------------------------------------------------------------------------

    @Test
    public void theSyncRouteSetsTheSourceIdFromTheVerifiedClaimReplacingTheCallersCopy() {
        assertEquals(SOURCE_ID_HEADER, tf.local("source_id_header").literal().orElseThrow());
        TfBlock transformations = nested(route(sync), "request_policies", "header_transformations");
        List<TfBlock> set = nested(transformations, "set_headers").blocks("items");
        assertEquals(1, set.size());
        TfBlock item = set.get(0);
        assertEquals("local.source_id_header", attr(item, "name"));
        assertEquals("OVERWRITE", literal(item, "if_exists"));
        // "$${" is a literal "${" in Terraform: the gateway substitutes the claim of the verified credential
        assertEquals(List.of("$${request.auth[${var.source_id_claim}]}"), item.attribute("values").orElseThrow().strings());
        // filters run after set headers: a BLOCK of the header here would drop the value the gateway sets
        assertFalse(filtered(transformations).contains("local.source_id_header"));
        // the claim is required and must be a registered source id
        TfBlock claim = nested(sync, "specification", "request_policies", "authentication", "verify_claims");
        assertEquals("var.source_id_claim", attr(claim, "key"));
        assertEquals("true", literal(claim, "is_required"));
        assertEquals("sort(keys(var.sources))", attr(claim, "values"));
    }

    @Test
    public void theRetryRouteDropsAnySourceIdTheCallerSends() {
        TfBlock transformations = nested(route(retry), "request_policies", "header_transformations");
        assertTrue("retry sets no header", transformations.block("set_headers").isEmpty());
        assertEquals("BLOCK", literal(nested(transformations, "filter_headers"), "type"));
        assertTrue(filtered(transformations).toString(), filtered(transformations).contains("local.source_id_header"));
    }

    @Test
    public void nothingElseSetsOrRenamesTheSourceIdHeader() {
        List<String> setters = new ArrayList<>();
        for (TfBlock d : tf.resources("oci_apigateway_deployment")) {
            for (TfBlock route : nested(d, "specification").blocks("routes")) {
                route.block("request_policies").flatMap(p -> p.block("header_transformations")).ifPresent(t -> {
                    t.block("set_headers").ifPresent(s -> s.blocks("items").forEach(i -> setters.add(d.address() + ":" + attr(i, "name"))));
                    t.block("rename_headers").ifPresent(s -> s.blocks("items").forEach(i -> setters.add(d.address() + ":" + attr(i, "to"))));
                });
            }
        }
        assertEquals(List.of("oci_apigateway_deployment.sync:local.source_id_header"), setters);
    }

    @Test
    public void theCredentialsThemselvesNeverReachTheFunctions() {
        assertTrue(filtered(nested(route(sync), "request_policies", "header_transformations")).contains("local.source_token_header"));
        assertTrue(filtered(nested(route(retry), "request_policies", "header_transformations")).contains("var.admin_token_header"));
    }

    @Test
    public void onlyTheGatewayTheConnectorsAndTheRedriveScheduleMayInvokeTheFunctions() {
        // The functions trust X-DataSync-Source-Id because nothing but the gateway can hand it to them: every grant that
        // lets an any-user principal invoke functions is narrowed to API gateways or connectors of the compartment, or
        // to the one redrive schedule Terraform creates (its request is fixed: retry-fn, body {"mode":"redrive"}), and
        // no function's own policy may invoke functions.
        int invokeGrants = 0;
        for (Map.Entry<String, List<String>> policy : IamStatements.of(tf).entrySet()) {
            for (String s : policy.getValue()) {
                boolean invoke = s.matches(".* to (use|manage) (functions-family|fn-invocation|fn-function) .*");
                if (!invoke) {
                    continue;
                }
                invokeGrants++;
                if (s.startsWith("Allow any-user") && s.contains("request.principal.type='resourceschedule'")) {
                    assertTrue(policy.getKey() + " names the redrive schedule itself: " + s,
                            s.contains("request.principal.id='${oci_resource_scheduler_schedule.redrive[0].id}'"));
                    assertTrue(policy.getKey() + ": " + s, s.contains(" in compartment id ${var.compartment_ocid} "));
                } else if (s.startsWith("Allow any-user")) {
                    assertTrue(policy.getKey() + ": " + s, s.contains("request.principal.type='ApiGateway'")
                            || s.contains("request.principal.type='serviceconnector'"));
                    assertTrue(policy.getKey() + ": " + s, s.contains("compartment.id='${var.compartment_ocid}'"));
                } else if (s.startsWith("Allow service cloudEvents")) {
                    // OCI Events invokes what its rules name (the bulk-ingest rule: bulk-ingest-fn); an event carries
                    // no gateway headers, so it can never hand populate a source id (populate answers 401)
                    assertEquals(policy.getKey(), "oci_identity_policy.events_invoke", policy.getKey());
                    assertEquals("Allow service cloudEvents to use functions-family in compartment id ${var.compartment_ocid}", s);
                } else {
                    assertFalse(policy.getKey() + ": a function may not invoke functions: " + s, s.startsWith("Allow dynamic-group"));
                    assertTrue(policy.getKey() + ": only the optional deployers' group: " + s,
                            policy.getKey().equals("oci_identity_policy.deployers"));
                }
            }
        }
        assertTrue("the invoke grants were not found: the statement match is broken", invokeGrants >= 5);
    }

    // ------------------------------------------------------------------------------------------------
    // The admin and source credentials are separate
    // ------------------------------------------------------------------------------------------------

    @Test
    public void theSyncDeploymentTakesOnlyTheSourceCredential() {
        TfBlock auth = nested(sync, "specification", "request_policies", "authentication");
        assertEquals("local.source_token_header", attr(auth, "token_header"));
        assertEquals(SOURCE_TOKEN_HEADER, tf.local("source_token_header").literal().orElseThrow());
        assertEquals("HCLArray(local.source_jwt_audience)", attr(auth, "audiences"));
        assertEquals(SOURCE_AUDIENCE, tf.local("source_jwt_audience").literal().orElseThrow());
        assertEquals("var.source_jwt_issuers", attr(auth, "issuers"));
        assertEquals(Set.of("source_id_claim", "source_jwt_issuers", "source_jwt_jwks_uri", "source_jwt_public_key_pem",
                "source_jwt_public_key_id", "sources"), variablesUsed(auth));
    }

    @Test
    public void theRetryDeploymentTakesOnlyTheAdminCredential() {
        TfBlock auth = nested(retry, "specification", "request_policies", "authentication");
        assertEquals("var.admin_token_header", attr(auth, "token_header"));
        assertEquals("var.admin_jwt_audiences", attr(auth, "audiences"));
        assertEquals("var.admin_jwt_issuers", attr(auth, "issuers"));
        assertEquals(Set.of("admin_token_header", "admin_jwt_issuers", "admin_jwt_audiences", "admin_jwt_jwks_uri",
                "admin_jwt_public_key_pem", "admin_jwt_public_key_id"), variablesUsed(auth));
        // a source's limits and claims play no part on the admin's URL
        assertTrue(nested(retry, "specification", "request_policies").block("usage_plans").isEmpty());
        assertFalse(strings(retry).stream().anyMatch(s -> s.contains("request.auth")));
    }

    @Test
    public void theDefaultsKeepTheTwoCredentialsApart() {
        String adminHeader = literal(tf.variables().get("admin_token_header"), "default");
        assertEquals("X-DataSync-Admin-Token", adminHeader);
        assertNotEquals(SOURCE_TOKEN_HEADER.toLowerCase(), adminHeader.toLowerCase());
        // the admin audiences are the user's, with a validation that refuses the source audience (evaluated by
        // terraformRefusesAnAdminCredentialThatASourceCouldPresent when terraform is installed)
        assertTrue(tf.variables().get("admin_jwt_audiences").blocks("validation").stream().map(v -> attr(v, "condition"))
                .anyMatch(c -> c.contains("var.admin_jwt_audiences") && c.contains("\"" + SOURCE_AUDIENCE + "\"")));
    }

    @Test
    public void terraformRefusesAnAdminCredentialThatASourceCouldPresent() throws Exception {
        TerraformConsole console = console();
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(), "");
        TerraformConsole.Output ok = console.evaluate(module, validVariables(), "var.admin_jwt_audiences");
        assertFalse(ok.text(), ok.refusedAnything());

        Map<String, String> sourceAudience = validVariables();
        sourceAudience.put("admin_jwt_audiences", "[\"datasync-admin\", \"" + SOURCE_AUDIENCE + "\"]");
        TerraformConsole.Output r = console.evaluate(module, sourceAudience, "var.admin_jwt_audiences");
        assertTrue(r.text(), r.refusedWith("admin_jwt_audiences must not contain datasync-sync"));

        for (String header : List.of(SOURCE_TOKEN_HEADER, "x-datasync-source-token", SOURCE_ID_HEADER, "Authorization")) {
            Map<String, String> v = validVariables();
            v.put("admin_token_header", "\"" + header + "\"");
            TerraformConsole.Output h = console.evaluate(module, v, "var.admin_token_header");
            assertTrue(header + ":\n" + h.text(), h.refusedWith("admin_token_header must not be"));
        }
    }

    @Test
    public void theHeaderValueAndTheUsagePlanTokenNameTheSameClaimOnceEvaluated() throws Exception {
        TerraformConsole console = console();
        String header = nested(route(sync), "request_policies", "header_transformations", "set_headers", "items")
                .attribute("values").orElseThrow().strings().get(0);
        String token = nested(sync, "specification", "request_policies", "usage_plans")
                .attribute("token_locations").orElseThrow().strings().get(0);
        Path module = TerraformConsole.moduleWithVariables(tmp.newFolder().toPath(),
                "locals {\n  header = \"" + header + "\"\n  token  = \"" + token + "\"\n}\n");
        Map<String, String> v = validVariables();
        v.put("source_id_claim", "\"client_name\"");
        assertEquals("\"${request.auth[client_name]}\"", console.evaluate(module, v, "local.header").value());
        assertEquals("\"request.auth[client_name]\"", console.evaluate(module, v, "local.token").value());
    }

    // ------------------------------------------------------------------------------------------------

    /** Values for every required variable; tests change one at a time. */
    static Map<String, String> validVariables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("tenancy_ocid", "\"ocid1.tenancy.oc1..aaaa\"");
        v.put("region", "\"us-ashburn-1\"");
        v.put("compartment_ocid", "\"ocid1.compartment.oc1..aaaa\"");
        v.put("admin_jwt_issuers", "[\"https://identity.oraclecloud.com\"]");
        v.put("admin_jwt_audiences", "[\"datasync-admin\"]");
        v.put("source_jwt_issuers", "[\"https://identity.oraclecloud.com\"]");
        return v;
    }

    static TerraformConsole console() {
        TerraformConsole console = TerraformConsole.find().orElse(null);
        Assume.assumeTrue("SKIPPED: terraform is not on PATH, the configuration is not evaluated", console != null);
        return console;
    }

    private static TfBlock route(TfBlock deployment) {
        List<TfBlock> routes = nested(deployment, "specification").blocks("routes");
        assertEquals(deployment.address() + " has one route", 1, routes.size());
        return routes.get(0);
    }

    private static List<String> filtered(TfBlock transformations) {
        return transformations.block("filter_headers").stream()
                .peek(f -> assertEquals("BLOCK", literal(f, "type")))
                .flatMap(f -> f.blocks("items").stream()).map(i -> attr(i, "name")).collect(Collectors.toList());
    }

    private static Set<String> variablesUsed(TfBlock block) {
        return allAttributes(block).flatMap(a -> a.references().stream())
                .filter(r -> r.root().equals("var")).map(r -> r.parts().get(1)).collect(Collectors.toSet());
    }

    private static Stream<TfAttribute> allAttributes(TfBlock block) {
        return Stream.concat(block.attributes().stream(), block.blocks().stream().flatMap(ApiAuthenticationTest::allAttributes));
    }

    private static List<String> strings(TfBlock block) {
        return allAttributes(block).flatMap(a -> a.strings().stream()).collect(Collectors.toList());
    }

    private static String output(String name) {
        return tf.ofType("output").stream().filter(o -> o.labels().get(0).equals(name)).findFirst()
                .map(o -> attr(o, "value")).orElseThrow(() -> new AssertionError("no output " + name));
    }

    static TfBlock nested(TfBlock block, String... path) {
        TfBlock b = block;
        for (String p : path) {
            TfBlock parent = b;
            b = b.block(p).orElseThrow(() -> new AssertionError(parent.address() + " has no block " + p));
        }
        return b;
    }

    static String attr(TfBlock block, String name) {
        return block.attribute(name).orElseThrow(() -> new AssertionError(block.address() + " has no " + name)).text();
    }

    static String literal(TfBlock block, String name) {
        return block.attribute(name).orElseThrow(() -> new AssertionError(block.address() + " has no " + name))
                .literal().orElseThrow(() -> new AssertionError(block.address() + "." + name + " is not a literal"));
    }
}
