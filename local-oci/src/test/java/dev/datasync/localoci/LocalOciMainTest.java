package dev.datasync.localoci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** {@code LocalOciMain --faults FILE}: fault rules in force from the first request, same JSON as the admin API. */
public class LocalOciMainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();
    private Path root;
    private Path dataDir;

    @Before
    public void createDir() {
        root = folder.getRoot().toPath();
        dataDir = root.resolve("data");
    }

    @Test
    public void rulesFromTheFileApplyFromTheStart() throws Exception {
        Path faults = root.resolve("faults.json");
        Files.writeString(faults, "{\"GetStream\":{\"errorRate\":1.0,\"status\":503},\"PutMessages\":{\"latencyMs\":5}}");
        try (LocalOciProcess oci = LocalOciProcess.start(dataDir, EmulatorRule.projectDeclaration(),
                "--faults", faults.toString())) {
            HttpResponse<String> current = HttpClient.newHttpClient().send(EmulatorRule.admin(oci.baseUrl,
                    oci.adminSecret(), "faults").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(JSON.readTree("{\"GetStream\":{\"errorRate\":1.0,\"status\":503},"
                    + "\"PutMessages\":{\"latencyMs\":5}}"), JSON.readTree(current.body()));

            String streamId = JSON.readTree(dataDir.resolve("resources.json").toFile())
                    .get("streams").get("DataSyncStream").asText();
            try (StreamAdminClient admin = StreamAdminClient.builder().endpoint(oci.baseUrl)
                    .configuration(EmulatorRule.noRetries())
                    .build(new ConfigFileAuthenticationDetailsProvider(oci.configFile.toString(), "DEFAULT"))) {
                admin.getStream(GetStreamRequest.builder().streamId(streamId).build());
                fail("GetStream should fail with the injected 503");
            } catch (BmcException e) {
                assertEquals(503, e.getStatusCode());
            }
        }
    }

    @Test
    public void malformedFileStopsTheStartWithAClearMessage() throws Exception {
        Path faults = root.resolve("bad-faults.json");
        Files.writeString(faults, "{\"GetStream\":{\"errorRate\":2.0}}");
        Process process = LocalOciProcess.launch(dataDir, EmulatorRule.projectDeclaration(),
                "--faults", faults.toString());
        assertTrue("exits", process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        String stderr = Files.readString(LocalOciProcess.stderrFile(dataDir)).trim();
        JsonNode line = JsonLogTest.assertCommonShape(stderr.substring(stderr.lastIndexOf('\n') + 1), "ERROR", "usage");
        String message = line.get("reason").asText();
        assertTrue(message, message.contains("--faults " + faults));
        assertTrue(message, message.contains("errorRate must be within 0..1"));
    }
}
