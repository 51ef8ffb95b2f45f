package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnClassSharing;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The function's HTTP contract through the real FDK (FnTestingRule): gateway headers in, Fn-Http-Status and
 * Fn-Http-H-* out. These cases are all rejected before any OCI call, so the clients are never built here; the
 * accepted path through the real SDK is in {@code PopulateDataStreamLocalOciIT}.
 */
public class PopulateDataStreamFunctionContractTest {

    @Rule
    public final FnTestingRule fn = FnTestingRule.createDefault();

    @Before
    public void configure() {
        FnClassSharing.PREFIXES.forEach(fn::addSharedClassPrefix);
        for (Map.Entry<String, String> e : SyncHandlerTest.config().entrySet()) {
            fn.setConfig(e.getKey(), e.getValue());
        }
        // default auth (resource principal): never built here, as every case is answered before any OCI call
    }

    private FnResult post(String body, String authorization) {
        var event = fn.givenEvent()
                .withHeader("Fn-Intent", "httprequest")
                .withHeader("Fn-Http-Method", "POST")
                .withHeader("Fn-Http-Request-Url", "/stream/sync")
                .withHeader("Content-Type", "application/json");
        if (authorization != null) {
            event = event.withHeader("Fn-Http-H-Authorization", authorization);
        }
        event.withBody(body).enqueue();
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        return fn.getOnlyResult();
    }

    static void expect(FnResult r, int status, String code, String field) throws Exception {
        assertEquals(r.getBodyAsString(), String.valueOf(status), r.getHeaders().get("Fn-Http-Status").orElse("200"));
        assertTrue(r.getHeaders().get("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = Json.parse(r.getBodyAsBytes());
        assertEquals(code, body.get("code").asText());
        assertEquals(field, body.get("field").isNull() ? null : body.get("field").asText());
    }

    @Test
    public void malformedJsonIs400() throws Exception {
        expect(post("{\"streamKey\":", null), 400, "MalformedJson", null);
    }

    @Test
    public void trailingGarbageAfterTheBodyIsMalformedJson() throws Exception {
        // a valid request followed by more tokens is not one JSON value: refused, not silently half-read
        expect(post(SyncHandlerTest.request("k", "") + " }x", null), 400, "MalformedJson", null);
    }

    @Test
    public void missingStreamMessageIs400NamingTheField() throws Exception {
        expect(post("{\"streamKey\":\"k\"}", null), 400, "MissingField", "streamMessage");
    }

    @Test
    public void authorizationInsideHeadersIs400() throws Exception {
        expect(post(SyncHandlerTest.request("k", "").replace("Content-Type", "Authorization"), null), 400,
                "ForbiddenHeader", "streamMessage.targetRestApiHeaders[0].key");
    }

    @Test
    public void vaultSecretNameWithoutAuthorizationIs401() throws Exception {
        expect(post(SyncHandlerTest.request("k", ",\"vaultSecretName\":\"789\""), null), 401,
                "MissingAuthorization", "streamMessage.vaultSecretName");
    }

    @Test
    public void aTargetOutsideTheAllowlistIs400AndTheTokenStaysOutOfTheOutput() throws Exception {
        FnResult r = post(SyncHandlerTest.request("k", ",\"vaultSecretName\":\"789\"")
                .replace(SyncHandlerTest.TARGET, "https://169.254.169.254/latest"), "Bearer fn-secret-token");
        expect(r, 400, "TargetNotAllowed", "streamMessage.targetRestApi");
        assertFalse(r.getBodyAsString().contains("fn-secret-token"));
        assertFalse(fn.getStdErrAsString().contains("fn-secret-token"));
        assertTrue(fn.getStdErrAsString(), fn.getStdErrAsString().contains("\"sync.rejected\""));
    }

    @Test
    public void invalidConfigurationFailsTheFunctionNamingTheKey() {
        fn.setConfig("vault_key_ocid", "ocid1.keyversion.oc1..kv");
        fn.givenEvent().withHeader("Fn-Http-Method", "POST").withBody("{}").enqueue();
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        String err = new String(fn.getStdErr(), StandardCharsets.UTF_8);
        assertTrue(err, err.contains("vault_key_ocid"));
        assertFalse(fn.getResults().isEmpty() && fn.getOnlyResult().isSuccess());
    }
}
