package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.local.StreamDeclarations;
import dev.datasync.localoci.LocalOci;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * {@code retry} against a running stack's stack.json: a real local-oci (for GetStream's partitions) and a recording
 * stand-in for the gateway's {@code /stream/retry} (the real route is exercised by PipelineStackEndToEndTest).
 */
public class RetryCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> calls = new CopyOnWriteArrayList<>();
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();
    private static final TemporaryFolder DATA_DIR = new TemporaryFolder();
    /** local-oci where a stack keeps it, {@code <data dir>/oci}: the command reads its resources.json there. */
    private static final LocalOciRule OCI = new LocalOciRule(b -> b
            .dataDir(DATA_DIR.getRoot().toPath().resolve("oci"))
            .declaration(StreamDeclarations.write(3, List.of("ThreePartitions"), List.of())));
    @ClassRule
    public static final RuleChain DATA_DIR_THEN_OCI = RuleChain.outerRule(DATA_DIR).around(OCI);
    private static Path dataDir;
    private static HttpServer gateway;

    @BeforeClass
    public static void start() throws Exception {
        dataDir = DATA_DIR.getRoot().toPath();
        LocalOci oci = OCI.oci();
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        gateway.createContext("/stream/retry", ex -> {
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            calls.add(body);
            authorizations.add(ex.getRequestHeaders().getFirst("X-DataSync-Admin-Token"));
            // one message replayed per partition, then the end
            long after = body.get("readAfterOffset").asLong();
            byte[] answer = ("{\"lastReadOffset\":" + (after + 1) + ",\"processedmessages\":1,\"failedMessages\":0,"
                    + "\"endOfStream\":true}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        gateway.start();
        Files.writeString(dataDir.resolve("stack.json"), JSON.writeValueAsString(Map.of(
                "gateway", "http://127.0.0.1:" + gateway.getAddress().getPort(),
                "oci", oci.baseUrl(),
                "ociConfigFile", oci.configFile().toAbsolutePath().toString(),
                "ociProfile", oci.profile(),
                "pid", ProcessHandle.current().pid(),
                "startedAt", ProcessHandle.current().info().startInstant().orElseThrow().toString())));
    }

    @AfterClass
    public static void stop() {
        gateway.stop(0);
    }

    @Before
    public void reset() {
        calls.clear();
        authorizations.clear();
    }

    private static String retry(String... argv) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status = DataSyncCli.run(List.of(argv), Map.of("DATASYNC_DATA_DIR", dataDir.toString(),
                "DATASYNC_ADMIN_TOKEN", "cli-admin"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(out, 0, status);
        return out;
    }

    private static List<String> partitionsCalled() {
        return calls.stream().map(c -> c.get("readPartition").asText()).toList();
    }

    private static List<Long> readAfterOffsets() {
        return calls.stream().map(c -> c.get("readAfterOffset").asLong()).toList();
    }

    @Test
    public void withoutPartitionEveryPartitionIsReplayedWithProgressEach() throws Exception {
        String out = retry("retry", "ThreePartitions");
        assertEquals(List.of("0", "1", "2"), partitionsCalled());
        assertEquals("from the oldest message", List.of(-1L, -1L, -1L), readAfterOffsets());
        for (String p : List.of("0", "1", "2")) {
            assertTrue(out, out.contains("  partition " + p + " done: 1 calls, 1 delivered"));
        }
        assertTrue(out, out.contains("done: 3 partitions, 3 calls, 3 delivered, 0 failed again"));
        assertTrue(authorizations.stream().allMatch("Bearer cli-admin"::equals));
        assertEquals(OCI.oci().resources().streams().get("ThreePartitions"),
                calls.get(0).get("streamOCIDToRetry").asText());
    }

    @Test
    public void fromMeansAtTheOffsetLikeMessagesFrom() throws Exception {
        retry("retry", "ThreePartitions", "--from", "5", "--batch", "7");
        assertEquals(List.of(4L, 4L, 4L), readAfterOffsets());
        assertEquals(7, calls.get(0).get("noOfMessagesToProcess").asInt());
        calls.clear();
        retry("retry", "ThreePartitions", "--from", "0");
        assertEquals(List.of(-1L, -1L, -1L), readAfterOffsets());
    }

    @Test
    public void partitionPicksOne() throws Exception {
        retry("retry", "ThreePartitions", "--partition", "1", "--from", "2");
        assertEquals(List.of("1"), partitionsCalled());
        assertEquals(List.of(1L), readAfterOffsets());
    }
}
