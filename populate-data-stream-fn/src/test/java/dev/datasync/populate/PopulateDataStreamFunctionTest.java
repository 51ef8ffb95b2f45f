package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnTestingRules;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.datasync.populate.SyncRequests.TARGET;
import static dev.datasync.populate.SyncRequests.request;
import static dev.datasync.populate.SyncRequests.secret;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The function's HTTP contract through the real FDK (FnTestingRule): gateway headers in, Fn-Http-Status and
 * Fn-Http-H-* out. These cases are all rejected before any OCI call, so the clients are never built here (default
 * auth, resource principal); the accepted path through the real SDK is in
 * {@link PopulateDataStreamFunctionLocalOciTest}.
 */
public class PopulateDataStreamFunctionTest {

    @Rule
    public final FnTestingRule fn = FnTestingRules.configured(SyncHandlerTest.config());

    private FnResult post(String body, String authorization) {
        Map<String, String> client = new LinkedHashMap<>();
        client.put("Content-Type", "application/json");
        if (authorization != null) {
            client.put("Authorization", authorization);
        }
        FnTestingRules.enqueue(fn, FnHttpGateway.request("POST", "/stream/sync", client), body);
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        return fn.getOnlyResult();
    }

    static void expect(FnResult r, int status, String code, String field) throws Exception {
        assertEquals(r.getBodyAsString(), status, FnHttpGateway.status(r));
        assertTrue(r.getHeaders().get("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.parse(r.getBodyAsBytes());
        assertEquals(code, body.get("code").asText());
        assertEquals(field, body.get("field").isNull() ? null : body.get("field").asText());
    }

    @Test
    public void malformedJsonIs400() throws Exception {
        expect(post("""
                {"streamKey":""", null), 400, "MalformedJson", null);
    }

    @Test
    public void trailingGarbageAfterTheBodyIsMalformedJson() throws Exception {
        // a valid request followed by more tokens is not one JSON value: refused, not silently half-read
        expect(post(request("k", "") + " }x", null), 400, "MalformedJson", null);
    }

    @Test
    public void missingStreamMessageIs400NamingTheField() throws Exception {
        expect(post("""
                {"streamKey":"k"}""", null), 400, "MissingField", "streamMessage");
    }

    @Test
    public void authorizationInsideHeadersIs400() throws Exception {
        expect(post(request("k", "").replace("Content-Type", "Authorization"), null), 400,
                "ForbiddenHeader", "streamMessage.targetRestApiHeaders[0].key");
    }

    @Test
    public void vaultSecretNameWithoutAuthorizationIs401() throws Exception {
        expect(post(request("k", secret("789")), null), 401, "MissingAuthorization", "streamMessage.vaultSecretName");
    }

    @Test
    public void aTargetOutsideTheAllowlistIs400AndTheTokenStaysOutOfTheOutput() throws Exception {
        FnResult r = post(request("k", secret("789")).replace(TARGET, "https://169.254.169.254/latest"),
                "Bearer fn-secret-token");
        expect(r, 400, "TargetNotAllowed", "streamMessage.targetRestApi");
        assertFalse(r.getBodyAsString().contains("fn-secret-token"));
        assertFalse(fn.getStdErrAsString().contains("fn-secret-token"));
        assertTrue(fn.getStdErrAsString(), fn.getStdErrAsString().contains("\"sync.rejected\""));
    }

    @Test
    public void invalidConfigurationFailsTheFunctionNamingTheKey() {
        fn.setConfig("vault_key_ocid", "ocid1.keyversion.oc1..kv");
        fn.givenEvent().withHeader(FnHttpGateway.METHOD, "POST").withBody("{}").enqueue();
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        String err = new String(fn.getStdErr(), StandardCharsets.UTF_8);
        assertTrue(err, err.contains("vault_key_ocid"));
        assertFalse(fn.getResults().isEmpty() && fn.getOnlyResult().isSuccess());
    }
}
