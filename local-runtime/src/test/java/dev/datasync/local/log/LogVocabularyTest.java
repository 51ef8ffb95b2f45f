package dev.datasync.local.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fnproject.fn.testing.FnTestingRule;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.populate.PopulateDataStreamFunction;
import dev.datasync.read.ReadDataStreamFunction;
import dev.datasync.retry.RetryFunction;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.log.LogFields;
import dev.datasync.shared.testing.FnClassSharing;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.datasync.shared.log.LogFields.ATTEMPT;
import static dev.datasync.shared.log.LogFields.CODE;
import static dev.datasync.shared.log.LogFields.SOURCE_ID;
import static dev.datasync.shared.log.LogFields.COMPONENT;
import static dev.datasync.shared.log.LogFields.ERROR_STREAM_ID;
import static dev.datasync.shared.log.LogFields.EVENT;
import static dev.datasync.shared.log.LogFields.FIELD;
import static dev.datasync.shared.log.LogFields.ITEM;
import static dev.datasync.shared.log.LogFields.OFFSET;
import static dev.datasync.shared.log.LogFields.OUTCOME;
import static dev.datasync.shared.log.LogFields.PARTITION;
import static dev.datasync.shared.log.LogFields.STATUS;
import static dev.datasync.shared.log.LogFields.STREAM;
import static dev.datasync.shared.log.LogFields.STREAM_ID;
import static dev.datasync.shared.log.LogFields.SYNC_ID;
import static dev.datasync.shared.log.LogFields.TARGET_HOST;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * One log vocabulary for the whole project: real lines of the three functions (run through the FDK against
 * local-oci, as their own tests run them) and of local-oci itself name the same things with the names of
 * {@link LogFields}, and each of those names holds its one kind of value — {@code stream} a stream's name and
 * {@code streamId} its OCID, {@code code} an error code and {@code field} the field at fault, {@code status} a
 * number. A function or local-oci that drifts (another name, or a value of another kind) fails here.
 */
public class LogVocabularyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A code or a field path is one token; a sentence belongs in {@code reason}. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.\\[\\]-]+");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

    private static LocalPipeline env;

    @Rule
    public final FnTestingRule fn = FnTestingRule.createDefault();

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void startEnvironment() {
        env = LocalPipeline.start();
    }

    @AfterClass
    public static void stopEnvironment() {
        env.close();
    }

    @Before
    public void configure() {
        FnClassSharing.PREFIXES.forEach(fn::addSharedClassPrefix);
        env.config().forEach(fn::setConfig);
        // DEBUG: the per-message lines (delivery.delivered) are held to the same vocabulary
        fn.setConfig("log_level", "DEBUG");
    }

    // ---- what holds on every line of every component ----------------------------------------------------------

    /** The JSON lines of a component's output, each checked against the vocabulary. */
    private static List<JsonNode> lines(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String text : output.split("\n")) {
            if (text.startsWith("{")) {
                JsonNode line = parse(text);
                assertVocabulary(line);
                lines.add(line);
            }
        }
        return lines;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }

    private static void assertVocabulary(JsonNode line) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        String where = line.toString();
        assertTrue(where, names.size() >= LogFields.FIXED.size());
        assertEquals(where, LogFields.FIXED, names.subList(0, LogFields.FIXED.size()));
        OffsetDateTime.parse(line.get(LogFields.TS).asText()); // RFC 3339
        assertTrue(where, Set.of(LogFields.DEBUG, LogFields.INFO, LogFields.WARN, LogFields.ERROR)
                .contains(line.get(LogFields.LEVEL).asText()));
        if (line.has(LogFields.TRACE_ID)) {
            assertTrue("traceId is a W3C trace id: " + where,
                    line.get(LogFields.TRACE_ID).asText().matches("[0-9a-f]{32}"));
        }
        if (line.has(STREAM)) {
            assertTrue(where, line.get(STREAM).isTextual());
            assertFalse("stream holds a name; an OCID goes in streamId: " + where,
                    LogFields.isOcid(line.get(STREAM).asText()));
        }
        for (String id : List.of(STREAM_ID, ERROR_STREAM_ID)) {
            if (line.has(id)) {
                assertTrue(id + " holds an OCID: " + where, LogFields.isOcid(line.get(id).asText()));
            }
        }
        for (String number : List.of(STATUS, ATTEMPT, ITEM)) {
            if (line.has(number)) {
                assertTrue(number + " is a number: " + where, line.get(number).isInt());
            }
        }
        for (String number : List.of(OFFSET, LogFields.LATENCY_MS, LogFields.DURATION_MS)) {
            if (line.has(number)) {
                assertTrue(number + " is a number: " + where, line.get(number).isIntegralNumber());
            }
        }
        if (line.has(PARTITION)) {
            assertTrue("partition is text: " + where, line.get(PARTITION).isTextual());
        }
        for (String token : List.of(CODE, FIELD)) {
            if (line.has(token)) {
                assertTrue(token + " is one token, not a sentence: " + where,
                        TOKEN.matcher(line.get(token).asText()).matches());
            }
        }
        if (line.has(OUTCOME)) {
            assertTrue("outcome is one word: " + where, WORD.matcher(line.get(OUTCOME).asText()).matches());
        }
    }

    private static JsonNode event(List<JsonNode> lines, String event) {
        List<String> seen = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.get(EVENT).asText().equals(event)) {
                return line;
            }
            seen.add(line.get(EVENT).asText());
        }
        fail("no " + event + " line among " + seen);
        return null;
    }

    /** The field's value; fails naming the line when the field is missing. */
    private static JsonNode value(JsonNode line, String field) {
        assertTrue(field + " missing: " + line, line.hasNonNull(field));
        return line.get(field);
    }

    private static void assertHas(JsonNode line, String... fields) {
        for (String f : fields) {
            assertTrue(f + " missing: " + line, line.hasNonNull(f));
        }
    }

    // ---- the three functions ---------------------------------------------------------------------------------

    @Test
    public void populateNamesTheDataStreamByOcidAndARejectionByCodeAndField() {
        String accepted = "{\"streamKey\":\"k1\",\"streamMessage\":{\"targetRestApi\":\"" + env.target().baseUrl()
                + "/vocabulary\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"n\":1},"
                + "\"targetRestApiHeaders\":[]}}";
        String noTarget = "{\"streamKey\":\"k2\",\"streamMessage\":{\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"n\":2},\"targetRestApiHeaders\":[]}}";
        // as the gateway hands it over: the client's Content-Type and the source id it verified
        fn.givenEvent().withHeader("Fn-Intent", "httprequest").withHeader("Fn-Http-Method", "POST")
                .withHeader("Fn-Http-Request-Url", "/stream/sync")
                .withHeader("Fn-Http-H-Content-Type", "application/json")
                .withHeader("Fn-Http-H-X-DataSync-Source-Id", "vocabulary-app")
                .withBody("[" + accepted + "," + noTarget + "]").enqueue();
        fn.thenRun(PopulateDataStreamFunction.class, "handleRequest");
        List<JsonNode> lines = lines(fn.getStdErrAsString());

        JsonNode written = event(lines, "sync.accepted");
        assertEquals("populate-data-stream-fn", value(written, COMPONENT).asText());
        assertEquals(env.stream(LocalPipeline.DATA), value(written, STREAM_ID).asText());
        assertEquals(202, value(written, STATUS).asInt());
        assertHas(written, SYNC_ID, PARTITION, OFFSET, TARGET_HOST);
        assertEquals("vocabulary-app", value(written, SOURCE_ID).asText());

        JsonNode rejected = event(lines, "sync.rejected");
        assertEquals(400, value(rejected, STATUS).asInt());
        assertEquals(ErrorCodes.MISSING_FIELD, value(rejected, CODE).asText());
        assertEquals("streamMessage.targetRestApi", value(rejected, FIELD).asText());
        assertEquals(1, value(rejected, ITEM).asInt());
    }

    @Test
    public void readNamesTheStreamItReadByNameAndTheErrorStreamByOcid() {
        env.target().byDefault("/vocabulary/refused", Reply.status(400));
        String body = "[" + schElement(41, "/vocabulary/ok", "voc-ok") + ","
                + schElement(42, "/vocabulary/refused", "voc-refused") + "]";
        fn.givenEvent().withBody(body).enqueue();
        fn.thenRun(ReadDataStreamFunction.class, "handleRequest");
        List<JsonNode> lines = lines(fn.getStdErrAsString());

        JsonNode delivered = event(lines, "delivery.delivered");
        assertEquals("read-data-stream-fn", value(delivered, COMPONENT).asText());
        assertEquals(LocalPipeline.DATA, value(delivered, STREAM).asText());
        assertEquals("0", value(delivered, PARTITION).asText());
        assertEquals(41, value(delivered, OFFSET).asLong());
        assertEquals(200, value(delivered, STATUS).asInt());
        assertEquals(1, value(delivered, ATTEMPT).asInt());
        assertHas(delivered, SYNC_ID, TARGET_HOST);

        JsonNode failed = event(lines, "delivery.failed");
        assertEquals(400, value(failed, STATUS).asInt());
        assertEquals(LocalPipeline.DATA, value(failed, STREAM).asText());

        JsonNode routed = event(lines, "message.routed");
        assertEquals(LocalPipeline.DATA, value(routed, STREAM).asText());
        assertEquals("routed", value(routed, OUTCOME).asText());
        assertEquals(env.stream(LocalPipeline.UNRECOVERABLE), value(routed, ERROR_STREAM_ID).asText());
    }

    /** An element of a Service Connector Hub batch: the stream by name, the value base64. */
    private static String schElement(long offset, String path, String syncId) {
        String value = "{\"targetRestApi\":\"" + env.target().baseUrl() + path + "\",\"targetRestApiOperation\":"
                + "\"POST\",\"targetRestApiPayload\":{\"n\":1},\"targetRestApiHeaders\":[],\"syncId\":\"" + syncId
                + "\",\"receivedAt\":\"2026-11-25T06:00:00Z\"}";
        return "{\"stream\":\"" + LocalPipeline.DATA + "\",\"partition\":\"0\",\"key\":null,\"value\":\""
                + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\",\"offset\":"
                + offset + ",\"timestamp\":\"2026-11-25T06:00:00.123Z\"}";
    }

    @Test
    public void retryNamesTheRetriedStreamByOcidAndARejectionByCodeAndField() {
        String retried = env.stream(LocalPipeline.INTERNAL_SERVER);
        for (int count : new int[] {0, 1}) {
            fn.givenEvent().withHeader("Fn-Intent", "httprequest").withHeader("Fn-Http-Method", "POST")
                    .withHeader("Fn-Http-Request-Url", "/stream/retry").withHeader("Content-Type", "application/json")
                    .withBody("{\"streamOCIDToRetry\":\"" + retried + "\",\"noOfMessagesToProcess\":" + count
                            + ",\"readAfterOffset\":-1,\"readPartition\":\"0\"}").enqueue();
        }
        fn.thenRun(RetryFunction.class, "handleRequest");
        List<JsonNode> lines = lines(fn.getStdErrAsString());

        JsonNode rejected = event(lines, "retry.rejected");
        assertEquals("retry-fn", value(rejected, COMPONENT).asText());
        assertEquals(ErrorCodes.INVALID_FIELD, value(rejected, CODE).asText());
        assertEquals("noOfMessagesToProcess", value(rejected, FIELD).asText());

        JsonNode done = event(lines, "retry.done");
        assertEquals(retried, value(done, STREAM_ID).asText());
        assertEquals("0", value(done, PARTITION).asText());
        assertEquals("endOfStream", value(done, OUTCOME).asText());
    }

    // ---- local-oci (its own logger: it does not depend on shared-model) --------------------------------------

    @Test
    public void localOciNamesAStreamByNameWithTheSameFields() throws Exception {
        Path dataDir = tmp.newFolder("oci").toPath();
        startAndStop(dataDir, declaration(1));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // the fan-out first, so what is restored below is it: stacks this JVM starts later keep their log files fed
        LogFanOut.install();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            startAndStop(dataDir, declaration(2)); // the stream exists with 1 partition: a declaration mismatch
        } finally {
            System.setErr(original);
        }
        List<JsonNode> lines = lines(captured.toString(StandardCharsets.UTF_8));

        JsonNode mismatch = event(lines, "declaration-mismatch");
        assertEquals("local-oci", value(mismatch, COMPONENT).asText());
        assertEquals(LogFields.WARN, value(mismatch, LogFields.LEVEL).asText());
        assertEquals("VocabularyStream", value(mismatch, STREAM).asText());
        event(lines, "local-oci-started");
        event(lines, "local-oci-stopped");
    }

    private Path declaration(int partitions) throws IOException {
        Path file = tmp.newFile("declaration-" + partitions + ".json").toPath();
        Files.writeString(file, "{\"compartments\":[{\"name\":\"VocabularyCompartment\"}],\"streams\":[{\"name\":"
                + "\"VocabularyStream\",\"compartment\":\"VocabularyCompartment\",\"partitions\":" + partitions
                + "}]}");
        return file;
    }

    private static void startAndStop(Path dataDir, Path declaration) throws IOException {
        LocalOci.start(LocalOciConfig.builder().dataDir(dataDir).port(0).declaration(declaration).build()).close();
    }
}
