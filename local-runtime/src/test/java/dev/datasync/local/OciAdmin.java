package dev.datasync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.auth.AdminSecret;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.Assert.assertEquals;

/**
 * A stack's local-oci admin endpoint ({@code /_admin/faults}), called with the admin secret from the stack's data
 * dir as a tester would: the fault rules are in local-oci's memory, so a restarted stack starts without them.
 */
public final class OciAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String ociUrl;
    private final Path stackDataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param stackDataDir the stack's data dir (local-oci's is its {@code oci/}) */
    public OciAdmin(String ociUrl, Path stackDataDir) {
        this.ociUrl = ociUrl;
        this.stackDataDir = stackDataDir;
    }

    /** The current fault rules. */
    public JsonNode faults() throws Exception {
        HttpResponse<String> r = http.send(request().GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
        return JSON.readTree(r.body());
    }

    /** Replaces every fault rule, e.g. {@code {"PutMessages":{"errorRate":0.05,"status":503}}}; {@code {}} clears. */
    public void setFaults(String rules) throws Exception {
        HttpResponse<String> r = http.send(request().PUT(HttpRequest.BodyPublishers.ofString(rules)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
    }

    private HttpRequest.Builder request() throws Exception {
        String secret = Files.readString(stackDataDir.resolve("oci").resolve(AdminSecret.FILE_NAME)).trim();
        return HttpRequest.newBuilder(URI.create(ociUrl + "/_admin/faults")).timeout(Duration.ofSeconds(10))
                .header(AdminSecret.HEADER, secret);
    }
}
