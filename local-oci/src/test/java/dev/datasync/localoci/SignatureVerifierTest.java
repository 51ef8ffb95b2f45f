package dev.datasync.localoci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.Map;

import static dev.datasync.localoci.EmulatorRule.noRetries;
import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertEquals;

/**
 * Every way a request can fail authentication gets 401 NotAuthenticated; correctly signed raw requests pass
 * (so each failure is caused by exactly the defect under test).
 */
public class SignatureVerifierTest extends LocalOciTestBase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RawSignedRequests signer;
    private static String streamId;

    @BeforeClass
    public static void setUp() throws Exception {
        signer = RawSignedRequests.forEmulator(oci);
        streamId = oci.resources().streams().get("DataSyncStream");
    }

    private URI uri(String pathAndQuery) {
        return URI.create(oci.baseUrl() + pathAndQuery);
    }

    private HttpResponse<String> send(String method, URI uri, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return HTTP.send(RawSignedRequests.withHeaders(b, headers).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertNotAuthenticated(HttpResponse<String> r) throws Exception {
        assertEquals(r.body(), 401, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("NotAuthenticated", body.get("code").asText());
        assertEquals(true, r.headers().firstValue("opc-request-id").isPresent());
    }

    private static byte[] cursorBody() {
        return "{\"partition\":\"0\",\"type\":\"LATEST\"}".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void correctlySignedRawRequestsPass() throws Exception {
        URI get = uri("/20180418/streams/" + streamId);
        assertEquals(200, send("GET", get, null, signer.sign("GET", get, new byte[0], false)).statusCode());
        URI post = uri("/20180418/streams/" + streamId + "/cursors");
        HttpResponse<String> r = send("POST", post, cursorBody(), signer.sign("POST", post, cursorBody(), true));
        assertEquals(r.body(), 200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(32, r.headers().firstValue("opc-request-id").orElseThrow().length());
    }

    @Test
    public void missingAuthorization() throws Exception {
        assertNotAuthenticated(send("GET", uri("/20180418/streams/" + streamId), null, Map.of()));
    }

    @Test
    public void malformedAuthorization() throws Exception {
        URI get = uri("/20180418/streams/" + streamId);
        Map<String, String> headers = new java.util.LinkedHashMap<>(signer.sign("GET", get, new byte[0], false));
        headers.put("authorization", "Signature garbage");
        assertNotAuthenticated(send("GET", get, null, headers));
        headers.put("authorization", "Basic dXNlcjpwYXNz");
        assertNotAuthenticated(send("GET", get, null, headers));
        headers.put("authorization", "Signature keyId=\"" + signer.keyId() + "\",algorithm=\"rsa-sha256\","
                + "headers=\"date (request-target) host\",signature=\"!!!not-base64!!!\",version=\"1\"");
        assertNotAuthenticated(send("GET", get, null, headers));
    }

    @Test
    public void forgedSignatureWithTheRightKeyId() throws Exception {
        KeyPair other = rsa();
        RawSignedRequests forger = new RawSignedRequests(other.getPrivate(), signer.keyId());
        URI get = uri("/20180418/streams/" + streamId);
        assertNotAuthenticated(send("GET", get, null, forger.sign("GET", get, new byte[0], false)));
    }

    @Test
    public void unknownKeyId() throws Exception {
        KeyPair other = rsa();
        RawSignedRequests stranger = new RawSignedRequests(other.getPrivate(),
                "ocid1.tenancy.oc1..other/ocid1.user.oc1..other/11:22:33");
        URI get = uri("/20180418/streams/" + streamId);
        assertNotAuthenticated(send("GET", get, null, stranger.sign("GET", get, new byte[0], false)));
    }

    @Test
    public void tamperedSignedBody() throws Exception {
        URI post = uri("/20180418/streams/" + streamId + "/cursors");
        Map<String, String> headers = signer.sign("POST", post, cursorBody(), true);
        byte[] tampered = "{\"partition\":\"1\",\"type\":\"LATEST\"}".getBytes(StandardCharsets.UTF_8);
        assertNotAuthenticated(send("POST", post, tampered, headers));
    }

    @Test
    public void bodyHeadersMustBeSignedForStandardPosts() throws Exception {
        URI post = uri("/20180418/streams/" + streamId + "/cursors");
        // only date (request-target) host signed: fine for PutMessages (EXCLUDE_BODY), not for CreateCursor
        Map<String, String> headers = new java.util.LinkedHashMap<>(signer.sign("POST", post, cursorBody(), false));
        headers.put("content-type", "application/json");
        assertNotAuthenticated(send("POST", post, cursorBody(), headers));

        URI put = uri("/20180418/streams/" + streamId + "/messages");
        byte[] messages = ("{\"messages\":[{\"value\":\"" + Base64.getEncoder().encodeToString("x".getBytes())
                + "\"}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> putHeaders = new java.util.LinkedHashMap<>(signer.sign("POST", put, new byte[0], false));
        putHeaders.put("content-type", "application/json");
        HttpResponse<String> r = send("POST", put, messages, putHeaders);
        assertEquals(r.body(), 200, r.statusCode());
    }

    @Test
    public void signatureCoversTheRequestTarget() throws Exception {
        URI signedFor = uri("/20180418/streams/" + streamId);
        URI sentTo = uri("/20180418/streams/" + oci.resources().streams().get("DefaultErrorStream"));
        assertNotAuthenticated(send("GET", sentTo, null, signer.sign("GET", signedFor, new byte[0], false)));
    }

    @Test
    public void staleDateIsRejected() throws Exception {
        URI get = uri("/20180418/streams/" + streamId);
        Map<String, String> headers = signer.sign("GET", get, new byte[0], false,
                ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(20));
        assertNotAuthenticated(send("GET", get, null, headers));
    }

    @Test
    public void sdkClientWithTheWrongPrivateKeyGets401() throws Exception {
        KeyPair other = rsa();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(other.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        SimpleAuthenticationDetailsProvider wrong = SimpleAuthenticationDetailsProvider.builder()
                .tenantId(provider.getTenantId()).userId(provider.getUserId()).fingerprint(provider.getFingerprint())
                .privateKeySupplier(() -> new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).build();
        try (StreamAdminClient admin = StreamAdminClient.builder().endpoint(oci.baseUrl()).configuration(noRetries())
                .build(wrong)) {
            expect(401, "NotAuthenticated",
                    () -> admin.getStream(GetStreamRequest.builder().streamId(streamId).build()));
        }
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }
}
