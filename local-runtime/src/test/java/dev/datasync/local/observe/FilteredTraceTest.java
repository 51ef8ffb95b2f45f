package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.SyncClient;
import dev.datasync.local.UpProcess;
import dev.datasync.local.cli.DataSyncCliAccess;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Issue 15, a filtered message's final state in {@code ./datasync trace}: {@code ./datasync up} as a child process
 * (a JVM of its own, so every line of its functions is in its log file whatever other tests did to this JVM's
 * stderr), rules set on its default source with {@code sources rules}, one message the filter drops and one of the
 * same key after it; trace shows the first {@code filtered} (event and state, with its rules version).
 */
public class FilteredTraceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String cli(Path dataDir, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCliAccess.execute(List.of(args), Map.of("DATASYNC_DATA_DIR", dataDir.toString()),
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(err.toString(StandardCharsets.UTF_8), 0, status);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String item(String key, String target, String payload) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"vaultSecretName\":\"trace-token\","
                + "\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":" + payload + ",\"targetRestApiHeaders\":[]}}";
    }

    @Test
    public void traceShowsAFilteredMessageAsItsFinalState() throws Exception {
        Path dataDir = Files.createTempDirectory("datasync-filtered-trace").resolve("data");
        UpProcess up = UpProcess.launch(dataDir, "filtered-trace", Map.of("DATASYNC_REDRIVE", "false"), List.of(),
                null);
        SampleTarget target = SampleTarget.start(0);
        try {
            String gateway = up.awaitReady();
            Path rules = dataDir.resolveSibling("rules.json");
            Files.writeString(rules, "{\"filter\": \"payload.keep\"}");
            String said = cli(dataDir, "sources", "rules", "local", rules.toString());
            String version = said.substring(said.indexOf("sha256:"), said.indexOf("sha256:") + 23);
            String credential = Files.readString(dataDir.resolve("source-token")).trim();
            HttpResponse<String> r = new SyncClient(Duration.ofSeconds(30)).sync(gateway,
                    "[" + item("t", target.baseUrl() + "/kept", "{\"keep\":false}") + ","
                            + item("t", target.baseUrl() + "/kept", "{\"keep\":true}") + "]",
                    SourceHeaders.SOURCE_TOKEN, "Bearer " + credential, "Authorization", "Bearer t0k3n");
            assertEquals(r.body(), 202, r.statusCode());
            JsonNode ids = JSON.readTree(r.body());
            String filtered = ids.get(0).get("syncId").asText();
            String delivered = ids.get(1).get("syncId").asText();

            long deadline = System.currentTimeMillis() + 60_000;
            JsonNode trace;
            do {
                Thread.sleep(200);
                trace = JSON.readTree(cli(dataDir, "trace", delivered, "--json"));
            } while (!trace.path("state").asText().equals("delivered") && System.currentTimeMillis() < deadline);
            assertEquals("the message after it was delivered: " + trace, "delivered", trace.path("state").asText());

            // the filtered one was settled in the same batch or an earlier one: its line is in the log already
            JsonNode t = JSON.readTree(cli(dataDir, "trace", filtered, "--json"));
            assertEquals(t.toString(), "filtered", t.path("state").asText());
            assertEquals(t.toString(), "filtered", t.path("now").path("state").asText());
            JsonNode last = t.path("events").get(t.path("events").size() - 1);
            assertEquals("filtered", last.path("event").asText());
            assertEquals(version, last.path("rulesVersion").asText());
            assertTrue("never sent", target.received().stream().noneMatch(c -> c.body().contains("false")));
        } finally {
            up.stop();
            target.close();
        }
    }
}
