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
            byte[] answer = ("{\"lastReadOffset\":" + (after + 1) + ",\"processedmessages\":1,\"failedMessages\":"
                    + failing + ",\"endOfStream\":true}").getBytes(StandardCharsets.UTF_8);
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

    /** How many messages the stand-in says failed again in each call. */
    private static volatile int failing;

    @Before
    public void reset() throws Exception {
        calls.clear();
        authorizations.clear();
        failing = 0;
        Files.deleteIfExists(dataDir.resolve("retry-marks.json"));
    }

    private static String retry(String... argv) throws Exception {
        return retryExpecting(0, argv);
    }

    private static String retryExpecting(int expectedStatus, String... argv) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status = DataSyncCli.run(List.of(argv), Map.of("DATASYNC_DATA_DIR", dataDir.toString(),
                "DATASYNC_ADMIN_TOKEN", "cli-admin"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(out, expectedStatus, status);
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
        assertTrue(out, out.contains("done: 3 of 3, 3 partitions, 3 calls, 3 delivered, 0 failed again"));
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

    @Test
    public void withoutFromItContinuesAfterTheLastOffsetReplayedInEachPartition() throws Exception {
        retry("retry", "ThreePartitions", "--from", "5");
        assertEquals(List.of(4L, 4L, 4L), readAfterOffsets()); // each partition ended at offset 5
        calls.clear();
        String out = retry("retry", "ThreePartitions");
        assertEquals("after offset 5, where the last run ended", List.of(5L, 5L, 5L), readAfterOffsets());
        assertTrue(out, out.contains("partition 1 from offset 6 (after the last one replayed; --from 0 for all)"));
        calls.clear();
        retry("retry", "ThreePartitions", "--partition", "2");
        assertEquals(List.of(6L), readAfterOffsets());
        calls.clear();
        retry("retry", "ThreePartitions", "--from", "0");
        assertEquals("--from overrides the mark", List.of(-1L, -1L, -1L), readAfterOffsets());
    }

    @Test
    public void messagesThatFailAgainExit1WithJsonTotals() throws Exception {
        failing = 2;
        String out = retryExpecting(1, "retry", "ThreePartitions", "--partition", "0", "--json");
        JsonNode totals = JSON.readTree(out);
        assertEquals(2, totals.get("failed").asLong());
        assertEquals(1, totals.get("delivered").asLong());
        assertEquals("ThreePartitions", totals.get("stream").asText());
        assertEquals(0, totals.get("partitions").get(0).get("lastReadOffset").asLong());
        failing = 0;
        assertEquals(0, JSON.readTree(retry("retry", "ThreePartitions", "--partition", "1", "--json"))
                .get("failed").asLong());
    }
}
