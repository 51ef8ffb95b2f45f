package dev.datasync.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.DeliveryCore;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.fn.RetryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.redrive.OrderGate;
import dev.datasync.shared.redrive.RedrivePass;
import dev.datasync.shared.redrive.RedriveSource;
import dev.datasync.shared.replay.HeldLease;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.replay.ReplayMarks;
import dev.datasync.shared.retry.ErrorStreamReader.PageHandler;
import dev.datasync.shared.retry.ErrorStreamReader.ReadResult;
import dev.datasync.shared.retry.ErrorStreamReader.StoredMessage;
import dev.datasync.shared.retry.RetryService;
import dev.datasync.shared.retry.StreamUnavailableException;
import dev.datasync.shared.retry.UnknownPartitionException;
import dev.datasync.shared.routing.RoutingFailedException;
import dev.datasync.shared.state.InMemoryStateObjects;
import dev.datasync.shared.state.OutageStateObjects;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.datasync.retry.RetryBodies.request;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * RetryHandler without the FDK and without OCI: the real replay and delivery engine against a real local target,
 * the retried stream, the error streams and the state objects in memory.
 */
public class RetryHandlerTest {

    private static final String RETRIED = TestConfigs.UNAVAILABLE;

    private final List<StoredMessage> retried = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> redrivePasses = new CopyOnWriteArrayList<>();
    private volatile RuntimeException readFailure;
    private ScriptedTarget target;
    private DeliveryCore core;
    private RetryHandler handler;
    private final OutageStateObjects state = new OutageStateObjects(new InMemoryStateObjects());
    private PartitionLease leases;

    @Before
    public void setUp() {
        DataSyncConfig config = DataSyncConfig.from(TestConfigs.forScriptedTarget());
        JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
        target = ScriptedTarget.start();
        // every failure is placed at once: how a routing failure is answered is scripted through the reader
        core = new DeliveryCore(config, (sourceId, secretName) -> "Bearer " + sourceId + "-" + secretName,
                sourceId -> null,
                (stream, messages) -> Collections.nCopies(messages.size(), null), KeyOrder.off(), Clock.systemUTC(),
                log);
        leases = new PartitionLease(state, Clock.systemUTC(), log);
        PartitionClaims claims = new PartitionClaims(leases, new ReplayMarks(state, log));
        RetryService service = new RetryService(this::read, core.pipeline(), core.defaultRoutes(), claims, log);
        RedrivePass redrive = new RedrivePass(config, this::openRedrive, claims, core.pipeline(), core.router(),
                OrderGate.NONE, Clock.systemUTC(), log);
        handler = new RetryHandler(RetryStack.requestReader(config), service, redrive, core.pipeline().metrics(), log);
    }

    @After
    public void tearDown() {
        leases.close();
        core.close();
        target.close();
    }

    /**
     * The retried stream in memory: one page of what follows the offset; or the failure set for the test (a
     * {@link StreamUnavailableException}, or a {@link RoutingFailedException} as the pipeline throws it while
     * settling a page).
     */
    private ReadResult read(String stream, String partition, long after, int count, PageHandler pages) {
        reads.incrementAndGet();
        if (readFailure != null) {
            throw readFailure;
        }
        List<StoredMessage> remaining = retried.stream().filter(s -> s.offset() > after).toList();
        List<StoredMessage> page = remaining.subList(0, Math.min(count, remaining.size()));
        boolean stopped = !page.isEmpty() && !pages.accept(page);
        return new ReadResult(page.size(), !stopped && page.size() == remaining.size(), false, stopped);
    }

    /** The redrive's streams: every partition held by another container of the group, so nothing is read. */
    private RedriveSource.Reading openRedrive(String stream, String group) {
        redrivePasses.add(stream);
        return new RedriveSource.Reading() {
            @Override
            public boolean holdsPartitions() {
                return false;
            }

            @Override
            public java.util.Set<String> partitions() {
                return java.util.Set.of();
            }

            @Override
            public List<RedriveSource.Message> next() {
                throw new AssertionError("a reader holding no partition is not read");
            }

            @Override
            public boolean reachedTip() {
                return false;
            }

            @Override
            public void commit() {
                throw new AssertionError("nothing to commit");
            }

            @Override
            public void close() {
            }
        };
    }

    private void store(long offset, String path, String syncId) {
        retried.add(new StoredMessage(null, RetryBodies.routedEnvelope(target.baseUrl() + path, syncId), offset));
    }

    private GatewayAnswer post(String body) {
        return handler.handle("POST", body.getBytes(StandardCharsets.UTF_8), Deadline.in(Duration.ofSeconds(30)));
    }

    private static JsonNode json(GatewayAnswer answer) throws Exception {
        return Json.parse(answer.body());
    }

    @Test
    public void replaysTheRequestedMessagesAndAnswers200WithTheReferenceFields() throws Exception {
        store(5, "/orders", "r5");
        store(6, "/orders", "r6");
        store(7, "/orders", "r7");

        GatewayAnswer answer = post(request(RETRIED, 2, 4, null));

        assertEquals(answer.bodyText(), 200, answer.status());
        assertEquals("application/json", answer.headers().get("Content-Type"));
        JsonNode body = json(answer);
        assertEquals(6, body.get("lastReadOffset").asLong());
        assertEquals(2, body.get("processedmessages").asInt());
        assertEquals(0, body.get("failedMessages").asInt());
        assertFalse(body.get("endOfStream").asBoolean());
        assertEquals(2, target.received("/orders").size());
    }

    @Test
    public void anotherMethodIs405AllowingPost() throws Exception {
        GatewayAnswer answer = handler.handle("GET", new byte[0], Deadline.in(Duration.ofSeconds(30)));

        assertEquals(405, answer.status());
        assertEquals("POST", answer.headers().get("Allow"));
        assertEquals("application/json", answer.headers().get("Content-Type"));
        assertEquals("MethodNotAllowed", json(answer).get("code").asText());
        assertEquals(0, reads.get());
    }

    @Test
    public void anInvalidRequestIs400NamingTheFieldAndReadsNothing() throws Exception {
        GatewayAnswer answer = post(request(RETRIED, 0, -1, null));

        assertEquals(400, answer.status());
        assertEquals("noOfMessagesToProcess", json(answer).get("field").asText());
        assertEquals(0, reads.get());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("retry.rejected")));
    }

    @Test
    public void aStreamThatCannotBeReadIs503WithRetryAfter() throws Exception {
        readFailure = new StreamUnavailableException(500, "InternalServerError", null);

        GatewayAnswer answer = post(request(RETRIED, 1, -1, null));

        assertEquals(503, answer.status());
        assertEquals("5", answer.headers().get("Retry-After"));
        JsonNode body = json(answer);
        assertEquals("ServiceUnavailable", body.get("code").asText());
        assertTrue(body.get("message").asText(), body.get("message").asText().contains("HTTP 500"));
        assertTrue(logLines.stream().anyMatch(l -> l.contains("retry.stream_unavailable")));
    }

    @Test
    public void failuresThatCannotBeRoutedAre503WithRetryAfterAndTheSameCallCanBeRepeated() throws Exception {
        readFailure = new RoutingFailedException("1 of 1 failed messages could not be written to their error streams");

        GatewayAnswer answer = post(request(RETRIED, 1, -1, null));

        assertEquals(503, answer.status());
        assertEquals("5", answer.headers().get("Retry-After"));
        String message = json(answer).get("message").asText();
        assertTrue(message, message.startsWith("1 of 1 failed messages could not be written"));
        assertTrue(message, message.contains("repeat the call with the same readAfterOffset"));
        assertTrue(logLines.stream().anyMatch(l -> l.contains("retry.routing_failed")));
    }

    /** Issue 9 finding 6: a partition the stream does not have can never be read: 400 naming it, not 503. */
    @Test
    public void aPartitionTheStreamDoesNotHaveIs400NamingReadPartition() throws Exception {
        readFailure = new UnknownPartitionException("7", null);

        GatewayAnswer answer = post(request(RETRIED, 1, -1, null));

        assertEquals(answer.bodyText(), 400, answer.status());
        assertEquals(null, answer.headers().get("Retry-After"));
        assertEquals("InvalidField", json(answer).get("code").asText());
        assertEquals("readPartition", json(answer).get("field").asText());
    }

    /** Issue 9: a replayed message is delivered with its own source's token and routed again with its source. */
    @Test
    public void aReplayedMessageKeepsItsSource() throws Exception {
        retried.add(new StoredMessage(null, RetryBodies.routedEnvelope(target.baseUrl() + "/replayed", "r-s",
                "orders-app", "789"), 3));
        target.byDefault("/replayed-fails", ScriptedTarget.Reply.status(500));
        retried.add(new StoredMessage(null, RetryBodies.routedEnvelope(target.baseUrl() + "/replayed-fails", "r-f",
                "billing", "789"), 4));

        GatewayAnswer answer = post(request(RETRIED, 2, -1, null));

        assertEquals(answer.bodyText(), 200, answer.status());
        assertEquals("Bearer orders-app-789", target.received("/replayed").get(0).header("Authorization"));
        assertEquals("Bearer billing-789", target.received("/replayed-fails").get(0).header("Authorization"));
        assertTrue(logLines.stream().anyMatch(l -> l.contains("\"message.routed\"") && l.contains("\"r-f\"")
                && l.contains("\"sourceId\":\"billing\"")));
    }

    @Test
    public void anEmptyBodyAModeOrAnAlarmRunsOneRedrivePassOverEveryRedrivenStream() throws Exception {
        String alarm = """
                {"dedupeKey":"a1b2","title":"redrive pending","body":null,"type":"FIRING_TO_FIRING",
                 "severity":"INFO","timestampEpochMillis":1764050400000,"alarmMetaData":[{"id":"ocid1.alarm.oc1..a",
                 "status":"FIRING","dimensions":[{"stream":"ServiceUnavailableErrorStream"}]}],"version":1.5}""";
        for (String body : List.of("", "  \n", "{\"mode\":\"redrive\"}", alarm)) {
            redrivePasses.clear();
            GatewayAnswer answer = post(body);

            assertEquals(body + ": " + answer.bodyText(), 200, answer.status());
            JsonNode totals = json(answer);
            assertEquals("redrive", totals.get("mode").asText());
            assertEquals(3, totals.get("streams").size());
            for (JsonNode t : totals.get("streams")) {
                assertEquals("notAssigned", t.get("outcome").asText());
                for (String field : List.of("read", "delivered", "reappended", "deadLettered", "pending")) {
                    assertEquals(field, 0, t.get(field).asInt());
                }
            }
            assertEquals(List.of(TestConfigs.UNAVAILABLE, TestConfigs.INTERNAL, TestConfigs.DEFAULT).stream()
                    .sorted().toList(), redrivePasses.stream().sorted().toList());
        }
        assertEquals("no replay read", 0, reads.get());
    }

    @Test
    public void aReplayRequestIsNeverTakenForARedriveAndAnUnknownModeIs400() throws Exception {
        GatewayAnswer empty = post("{}");
        assertEquals(400, empty.status());
        assertEquals("streamOCIDToRetry", json(empty).get("field").asText());
        GatewayAnswer noStream = post("{\"mode\":\"redrive\",\"noOfMessagesToProcess\":1,\"readAfterOffset\":-1}");
        assertEquals(400, noStream.status());
        assertEquals("streamOCIDToRetry", json(noStream).get("field").asText());
        GatewayAnswer mode = post("{\"mode\":\"replay\"}");
        assertEquals(400, mode.status());
        assertEquals("mode", json(mode).get("field").asText());
        assertEquals(400, post("{\"mode\":true}").status());
        assertTrue(redrivePasses.isEmpty());
        assertEquals(0, reads.get());
    }

    /** Issue 10: while another replay (or the redrive pass) holds the partition, 409 ReplayInProgress; nothing read. */
    @Test
    public void aSecondReplayOfAPartitionInProgressIs409WithRetryAfter() throws Exception {
        store(5, "/orders", "r5");
        try (HeldLease running = leases.acquire(RETRIED, "0", "redrive-elsewhere", Duration.ofSeconds(20))) {
            GatewayAnswer answer = post(request(RETRIED, 1, -1, null));

            assertEquals(answer.bodyText(), 409, answer.status());
            JsonNode body = json(answer);
            assertEquals("ReplayInProgress", body.get("code").asText());
            assertEquals("readPartition", body.get("field").asText());
            long retryAfter = Long.parseLong(answer.headers().get("Retry-After"));
            assertTrue(Long.toString(retryAfter), retryAfter >= 1 && retryAfter <= 22);
            assertEquals(0, reads.get());
            assertTrue(target.received().isEmpty());
            assertTrue(running.held());
        }
        assertEquals("once it is released, the replay runs", 200, post(request(RETRIED, 1, -1, null)).status());
    }

    @Test
    public void aStateStoreThatCannotBeReachedIs503WithRetryAfterAndNothingIsRead() throws Exception {
        store(5, "/orders", "r5");
        state.takeDown();

        GatewayAnswer answer = post(request(RETRIED, 1, -1, null));

        assertEquals(answer.bodyText(), 503, answer.status());
        assertEquals("5", answer.headers().get("Retry-After"));
        assertEquals("ServiceUnavailable", json(answer).get("code").asText());
        assertEquals(0, reads.get());
        assertTrue(target.received().isEmpty());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("retry.state_unavailable")));
    }

    @Test
    public void aSecondReplayAnswersAlreadyDeliveredMessages() throws Exception {
        store(5, "/orders", "r5");
        store(6, "/orders", "r6");
        assertEquals(2, json(post(request(RETRIED, 2, -1, null))).get("processedmessages").asInt());

        JsonNode again = json(post(request(RETRIED, 2, -1, null)));

        assertEquals(0, again.get("processedmessages").asInt());
        assertEquals(2, again.get("alreadyDeliveredMessages").asInt());
        assertEquals(0, again.get("alreadyMovedMessages").asInt());
        assertEquals(6, again.get("lastReadOffset").asLong());
        assertEquals(2, target.received("/orders").size());
    }
}
