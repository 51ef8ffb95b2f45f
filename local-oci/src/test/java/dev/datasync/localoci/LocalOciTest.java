package dev.datasync.localoci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.auth.AdminSecret;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** The framework on the wire: admin endpoints, OCI error shape, request ids, config file, declaration. */
public class LocalOciTest extends LocalOciTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void unknownRouteIsOciShaped404WithRequestId() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(oci.baseUrl() + "/20991231/nothing")));
        assertEquals(404, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(32, r.headers().firstValue("opc-request-id").orElseThrow().length());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("NotFound", body.get("code").asText());
        assertNotNull(body.get("message").asText());
    }

    @Test
    public void requestIdIsEchoed() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(oci.baseUrl() + "/x"))
                .header("opc-request-id", "MY-REQUEST-1"));
        assertEquals("MY-REQUEST-1", r.headers().firstValue("opc-request-id").orElseThrow());
    }

    @Test
    public void configFileHasTheDefaultProfile() throws Exception {
        String config = Files.readString(oci.configFile());
        assertTrue(config.startsWith("[DEFAULT]\n"));
        for (String key : new String[] {"user=ocid1.user.oc1..", "tenancy=ocid1.tenancy.oc1..", "fingerprint=",
                "region=us-ashburn-1", "key_file=/"}) {
            assertTrue(key, config.contains(key));
        }
        assertEquals(provider.getTenantId(), oci.resources().tenancy());
    }

    @Test
    public void resourcesAreServedAndWritten() throws Exception {
        HttpResponse<String> r = send(EmulatorRule.admin(oci, "resources"));
        assertEquals(200, r.statusCode());
        JsonNode body = JSON.readTree(r.body());
        String compartment = body.get("compartments").get("DataSyncCompartment").asText();
        assertTrue(compartment.startsWith("ocid1.compartment.oc1.."));
        assertEquals(compartment, oci.resources().compartments().get("DataSyncCompartment"));
        JsonNode file = JSON.readTree(dataDir.resolve("resources.json").toFile());
        assertEquals(body, file);
    }

    @Test
    public void adminEndpointsRefuseLoopbackCallersWithoutTheSecret() throws Exception {
        oci.faults().clear();
        String rules = "{\"PutMessages\":{\"errorRate\":1.0,\"status\":503}}";
        URI faults = URI.create(oci.baseUrl() + "/_admin/faults");
        for (HttpRequest.Builder request : new HttpRequest.Builder[] {
                HttpRequest.newBuilder(faults).PUT(HttpRequest.BodyPublishers.ofString(rules)),
                HttpRequest.newBuilder(faults).header(AdminSecret.HEADER, "guess")
                        .PUT(HttpRequest.BodyPublishers.ofString(rules)),
                HttpRequest.newBuilder(faults).header(AdminSecret.HEADER, oci.adminSecret() + "x")
                        .PUT(HttpRequest.BodyPublishers.ofString(rules))}) {
            HttpResponse<String> r = send(request);
            assertEquals(r.body(), 401, r.statusCode());
            assertEquals("NotAuthenticated", JSON.readTree(r.body()).get("code").asText());
            assertFalse("the secret is never echoed", r.body().contains(oci.adminSecret()));
        }
        assertTrue("no rule was set", oci.faults().current().isEmpty());
        for (String what : new String[] {"resources", "faults", "health"}) {
            assertEquals(what, 401, send(HttpRequest.newBuilder(URI.create(oci.baseUrl() + "/_admin/" + what)))
                    .statusCode());
            assertEquals(what, 200, send(EmulatorRule.admin(oci, what)).statusCode());
        }
    }

    @Test
    public void theAdminSecretIsAnOwnerOnlyFileInTheDataDirectory() throws Exception {
        assertEquals(dataDir.resolve(AdminSecret.FILE_NAME).toAbsolutePath(), oci.adminSecretFile());
        assertEquals(oci.adminSecret(), Files.readString(oci.adminSecretFile()).trim());
        assertTrue(oci.adminSecret().length() >= 40);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(oci.adminSecretFile())));
    }

    @Test
    public void faultsCanBeReplacedThroughAdmin() throws Exception {
        HttpResponse<String> put = send(EmulatorRule.admin(oci, "faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"GetStream\":{\"errorRate\":1.0,\"status\":503}}")));
        assertEquals(200, put.statusCode());
        assertEquals(503, (int) oci.faults().ruleFor("GetStream").status());
        HttpResponse<String> get = send(EmulatorRule.admin(oci, "faults"));
        assertEquals(1.0, JSON.readTree(get.body()).get("GetStream").get("errorRate").asDouble(), 0);
        HttpResponse<String> bad = send(EmulatorRule.admin(oci, "faults")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"GetStream\":{\"errorRate\":7}}")));
        assertEquals(400, bad.statusCode());
        assertEquals("InvalidParameter", JSON.readTree(bad.body()).get("code").asText());
    }

    @Test
    public void unreadableBodiesAre400AndWrongMethodIs405() throws Exception {
        RawSignedRequests signer = RawSignedRequests.forEmulator(oci);
        String stream = oci.resources().streams().get("DefaultErrorStream");
        URI put = URI.create(oci.baseUrl() + "/20180418/streams/" + stream + "/messages");
        for (String body : new String[] {"{\"messages\":[{\"value\":\"!!not base64!!\"}]}", "not json", ""}) {
            HttpRequest.Builder b = HttpRequest.newBuilder(put).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("content-type", "application/json");
            HttpResponse<String> r = send(RawSignedRequests.withHeaders(b,
                    signer.sign("POST", put, new byte[0], false)));
            assertEquals(body + " → " + r.body(), 400, r.statusCode());
            String code = JSON.readTree(r.body()).get("code").asText();
            assertTrue(code, code.equals("InvalidParameter") || code.equals("MissingParameter"));
        }
        URI get = URI.create(oci.baseUrl() + "/20180418/streams/" + stream + "/cursors");
        HttpResponse<String> r = send(RawSignedRequests.withHeaders(HttpRequest.newBuilder(get),
                signer.sign("GET", get, new byte[0], false)));
        assertEquals(405, r.statusCode());
        assertEquals("MethodNotAllowed", JSON.readTree(r.body()).get("code").asText());
    }
}
