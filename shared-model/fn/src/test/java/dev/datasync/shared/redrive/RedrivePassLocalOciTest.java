package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.GetGroupRequest;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.fn.RetryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.oci.ConsumerGroupSource;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.PartitionReader;
import dev.datasync.shared.replay.HeldLease;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.retry.RetryRequest;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * The automatic redrive through the real SDK against local-oci and a real local target: schedule slots, the last
 * slot and the max age ending in the DeadLetterStream, the consumer group resuming after a pass that died before
 * committing, corrupt envelopes dead-lettered without blocking, for the redrive and the manual replay alike. Each
 * test has its own local-oci, so each pass sees only its own messages. The functions' clock is adjustable, so slots
 * pass without waiting.
 */
public class RedrivePassLocalOciTest {

    private LocalPipeline env;
    private AdjustableClock clock;
    private final List<AutoCloseable> stacks = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
    private final List<List<Metric>> published = new CopyOnWriteArrayList<>();

    @Before
    public void start() {
        env = LocalPipeline.start();
        clock = new AdjustableClock();
    }

    @After
    public void stop() throws Exception {
        for (AutoCloseable s : stacks) {
            s.close();
        }
        env.close();
    }

    /** A Retry stack (the redrive's composition root) on this test's local-oci, its clock and these keys. */
    private RetryStack stack(Map<String, String> keys) {
        return stack(keys, UnaryOperator.identity());
    }

    /** @param redriveClient what the redrive's consumer-group reader talks to instead of the real client */
    private RetryStack stack(Map<String, String> keys, UnaryOperator<Stream> redriveClient) {
        Map<String, String> config = env.config();
        config.put("delivery_max_attempts", "1");
        config.put("target_breaker_failures", "none");
        config.putAll(keys);
        DataSyncConfig c = DataSyncConfig.from(config);
        JsonLog log = JsonLog.to(logLines::add, clock);
        OciClients clients = new OciClients(c.oci());
        DeliveryStack delivery = new DeliveryStack(c, clients, published::add, clock, log);
        RetryStack retry = new RetryStack(delivery,
                new ConsumerGroupSource(redriveClient.apply(clients.stream()), "test-instance"), log);
        stacks.add(retry);
        return retry;
    }

    private String target(String path) {
        return env.target().baseUrl() + path;
    }

    /** A DataSyncStream message as populate stores it. */
    private static byte[] message(String target, String syncId) {
        return ("{\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"18jan\"},\"syncId\":\"" + syncId + "\","
                + "\"receivedAt\":\"2026-11-25T06:00:00Z\",\"sourceId\":\"orders\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The first failure, as ReadDataStream routes it: through the pipeline, from DataSyncStream. */
    private void failFirst(RetryStack stack, String key, String target, String... syncIds) {
        List<InboundMessage> batch = new ArrayList<>();
        for (String id : syncIds) {
            batch.add(InboundMessage.accepted(key, message(target, id), new Source("DataSyncStream", "0", 1L)));
        }
        stack.delivery().pipeline().process(batch, Deadline.in(Duration.ofSeconds(20)),
                stack.delivery().defaultRoutes(), null);
    }

    private RedriveTotals pass(RetryStack stack, String streamName) {
        RedriveReport report = stack.redrive().run(Deadline.in(Duration.ofSeconds(30)));
        String id = env.stream(streamName);
        return report.streams().stream().filter(t -> t.streamId().equals(id)).findFirst().orElseThrow();
    }

    private List<JsonNode> envelopes(String streamName) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : env.readAll(streamName)) {
            out.add(Json.parse(m.getValue()));
        }
        return out;
    }

    /** The committed offset of the redrive's group on partition 0 of a stream (null: nothing committed). */
    private Long committed(String streamName) {
        return env.streams().getGroup(GetGroupRequest.builder().streamId(env.stream(streamName))
                .groupName("datasync-redrive").build()).getGroup().getReservations().get(0).getCommittedOffset();
    }

    private List<String> keysReceived(String path) {
        return env.target().received(path).stream().map(r -> r.header("Idempotency-Key")).toList();
    }

    @Test
    public void aMessageIsNotTriedBeforeItsSlotAndIsTriedAtIt() throws Exception {
        RetryStack stack = stack(Map.of("redrive_schedule", "10s,20s,30s", "redrive_max_age", "1h"));
        String p = "/slots";
        env.target().script(p, Reply.status(503), Reply.status(503)).byDefault(p, Reply.status(201));
        Instant failedAt = clock.instant();
        failFirst(stack, "k1", target(p), "slot-1");
        assertEquals(1, env.target().received(p).size());
        List<Message> routed = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(1, routed.size());
        JsonNode first = Json.parse(routed.get(0).getValue());
        assertEquals(0, first.get("redriveCount").asInt());
        Instant next = Instant.parse(first.get("nextAttemptAt").asText());
        assertTrue(first.toString(), !next.isBefore(failedAt.plusSeconds(10))
                && next.isBefore(clock.instant().plusSeconds(11)));
        assertEquals(1, first.get("attempts").size());

        // before its slot: copied forward unchanged, never sent
        RedriveTotals early = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(RedriveTotals.REACHED_TIP, early.outcome());
        assertEquals(1, early.read());
        assertEquals(1, early.reappended());
        assertEquals(0, early.delivered());
        assertEquals(1, early.pending());
        assertEquals(1, env.target().received(p).size());
        List<Message> afterEarly = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(2, afterEarly.size());
        assertArrayEquals("copied forward byte for byte", routed.get(0).getValue(), afterEarly.get(1).getValue());
        assertArrayEquals("with its key", routed.get(0).getKey(), afterEarly.get(1).getKey());
        assertEquals(Long.valueOf(afterEarly.get(0).getOffset()), committed(LocalPipeline.SERVICE_UNAVAILABLE));

        clock.advance(Duration.between(clock.instant(), next).minusSeconds(2));
        assertEquals(0, pass(stack, LocalPipeline.SERVICE_UNAVAILABLE).delivered());
        assertEquals("shortly before its slot it is still not sent", 1, env.target().received(p).size());

        // at its slot: tried (503 again), re-appended to the same stream with the next slot
        clock.advance(Duration.between(clock.instant(), next));
        RedriveTotals tried = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(1, tried.reappended());
        assertEquals(2, env.target().received(p).size());
        List<JsonNode> all = envelopes(LocalPipeline.SERVICE_UNAVAILABLE);
        JsonNode again = all.get(all.size() - 1);
        assertEquals(1, again.get("redriveCount").asInt());
        assertEquals(503, again.get("lastError").get("status").asInt());
        assertEquals(first.get("firstFailedAt"), again.get("firstFailedAt"));
        assertEquals(2, again.get("attempts").size());
        assertEquals(2, again.get("deliveryAttempts").asInt());
        Instant second = Instant.parse(again.get("nextAttemptAt").asText());
        Instant triedAt = Instant.parse(again.get("lastError").get("at").asText());
        assertEquals("slot 1 of the schedule", Duration.ofSeconds(20), Duration.between(triedAt, second));

        clock.advance(Duration.between(clock.instant(), second).minusSeconds(2));
        pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(2, env.target().received(p).size());
        clock.advance(Duration.between(clock.instant(), second));
        RedriveTotals delivered = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(1, delivered.delivered());
        assertEquals(0, delivered.pending());
        assertEquals("the same Idempotency-Key on every try", List.of("slot-1", "slot-1", "slot-1"), keysReceived(p));

        // drained: the next pass reads nothing and says so to Monitoring
        RedriveTotals drained = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(0, drained.read());
        assertEquals(0, drained.pending());
        Metric last = published.get(published.size() - 1).stream()
                .filter(m -> m.dimensions().get("stream").equals("ServiceUnavailableErrorStream")).findFirst()
                .orElseThrow();
        assertEquals("redrive.pending", last.name());
        assertEquals(0.0, last.value(), 0.0);
    }

    @Test
    public void aMessageStillFailingAfterTheLastSlotIsDeadLettered() throws Exception {
        RetryStack stack = stack(Map.of("redrive_schedule", "10s,20s,30s", "redrive_max_age", "1h"));
        String p = "/exhausted";
        env.target().byDefault(p, Reply.status(500));
        Instant failedAt = clock.instant();
        failFirst(stack, null, target(p), "ex-1");
        for (int slot : new int[]{10, 20, 30}) {
            clock.advance(Duration.ofSeconds(slot));
            RedriveTotals t = pass(stack, LocalPipeline.INTERNAL_SERVER);
            assertEquals(1, t.read());
        }
        assertEquals("the first delivery and one try per slot", 4, env.target().received(p).size());
        List<JsonNode> dead = envelopes("DeadLetterStream");
        assertEquals(1, dead.size());
        JsonNode d = dead.get(0);
        assertEquals("scheduleExhausted", d.get("deadLetterReason").asText());
        assertEquals("ex-1", d.get("syncId").asText());
        assertEquals("orders", d.get("sourceId").asText());
        assertEquals(3, d.get("redriveCount").asInt());
        assertEquals(4, d.get("attempts").size());
        assertFalse(d.has("nextAttemptAt"));
        Instant first = Instant.parse(d.get("firstFailedAt").asText());
        assertTrue(Math.abs(Duration.between(failedAt, first).toMillis()) < 5_000);
        assertTrue(Instant.parse(d.get("deadLetteredAt").asText()).isAfter(first.plusSeconds(59)));
        assertEquals("orderid survives the trip", "18jan", d.get("targetRestApiPayload").get("orderid").asText());

        RedriveTotals after = pass(stack, LocalPipeline.INTERNAL_SERVER);
        assertEquals("nothing left in the stream", 0, after.read());
    }

    @Test
    public void aMessageStillFailingAfterTheMaxAgeIsDeadLetteredAndItsLastTryIsAtThatAge() throws Exception {
        RetryStack stack = stack(Map.of("redrive_schedule", "10s,10s,10s,10s,10s,10s", "redrive_max_age", "25s"));
        String p = "/aged";
        env.target().byDefault(p, Reply.status(502));
        failFirst(stack, null, target(p), "age-1");
        JsonNode routed = envelopes(LocalPipeline.DEFAULT).get(0);
        Instant first = Instant.parse(routed.get("firstFailedAt").asText());

        clock.advance(Duration.ofSeconds(10));
        pass(stack, LocalPipeline.DEFAULT);
        clock.advance(Duration.ofSeconds(10));
        pass(stack, LocalPipeline.DEFAULT);
        List<JsonNode> waiting = envelopes(LocalPipeline.DEFAULT);
        JsonNode third = waiting.get(waiting.size() - 1);
        assertEquals("the slot is cut to the max age", first.plusSeconds(25),
                Instant.parse(third.get("nextAttemptAt").asText()));
        clock.advance(Duration.between(clock.instant(), first.plusSeconds(25)));
        RedriveTotals last = pass(stack, LocalPipeline.DEFAULT);
        assertEquals(1, last.deadLettered());
        assertEquals(4, env.target().received(p).size());
        JsonNode d = envelopes("DeadLetterStream").get(0);
        assertEquals("maxAge", d.get("deadLetterReason").asText());
        assertEquals(3, d.get("redriveCount").asInt());
    }

    @Test
    public void aWaitingMessageOlderThanTheMaxAgeIsDeadLetteredWithoutATry() throws Exception {
        RetryStack stack = stack(Map.of("redrive_schedule", "1h", "redrive_max_age", "2h"));
        String p = "/old";
        String old = "{\"targetRestApi\":\"" + target(p) + "\",\"targetRestApiOperation\":\"POST\","
                + "\"syncId\":\"old-1\","
                + "\"firstFailedAt\":\"" + clock.instant().minus(Duration.ofHours(3)) + "\",\"nextAttemptAt\":\""
                + clock.instant().plus(Duration.ofHours(1)) + "\",\"redriveCount\":0}";
        env.put(LocalPipeline.SERVICE_UNAVAILABLE, Collections.singletonList(null),
                List.of(old.getBytes(StandardCharsets.UTF_8)));
        RedriveTotals t = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(1, t.deadLettered());
        assertEquals(0, env.target().received(p).size());
        assertEquals("maxAge", envelopes("DeadLetterStream").get(0).get("deadLetterReason").asText());
    }

    @Test
    public void corruptEnvelopesAreDeadLetteredWithTheirReasonAndBlockNothing() throws Exception {
        RetryStack stack = stack(Map.of());
        String p = "/after-corrupt";
        env.target().byDefault(p, Reply.status(200));
        String good = "{\"targetRestApi\":\"" + target(p) + "\",\"targetRestApiOperation\":\"POST\","
                + "\"syncId\":\"good-1\"}";
        String badCount = "{\"targetRestApi\":\"" + target(p) + "\",\"targetRestApiOperation\":\"POST\","
                + "\"syncId\":\"bad-count\",\"redriveCount\":\"three\"}";
        env.put(LocalPipeline.SERVICE_UNAVAILABLE, Arrays.asList("k", "k", "k"), List.of(
                "<not json>".getBytes(StandardCharsets.UTF_8), badCount.getBytes(StandardCharsets.UTF_8),
                good.getBytes(StandardCharsets.UTF_8)));

        RedriveTotals t = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(3, t.read());
        assertEquals(2, t.deadLettered());
        assertEquals("the same key behind two corrupt messages is not held", 1, t.delivered());
        assertEquals(List.of("good-1"), keysReceived(p));
        List<Message> dead = env.readAll("DeadLetterStream");
        assertEquals(2, dead.size());
        JsonNode notJson = Json.parse(dead.get(0).getValue());
        assertEquals("corrupt", notJson.get("deadLetterReason").asText());
        assertEquals("<not json>", new String(java.util.Base64.getDecoder()
                .decode(notJson.get("undecodableValue").asText()), StandardCharsets.UTF_8));
        assertTrue(notJson.get("lastError").get("reason").asText().contains("not JSON"));
        assertEquals("k", new String(dead.get(0).getKey(), StandardCharsets.UTF_8));
        JsonNode count = Json.parse(dead.get(1).getValue());
        assertEquals("corrupt", count.get("deadLetterReason").asText());
        assertEquals("bad-count", count.get("syncId").asText());
        assertTrue(count.get("lastError").get("reason").asText().contains("redriveCount"));
        assertEquals(0, pass(stack, LocalPipeline.SERVICE_UNAVAILABLE).read());
    }

    @Test
    public void theManualReplayDeadLettersCorruptEnvelopesTheSameWay() throws Exception {
        RetryStack stack = stack(Map.of());
        List<Long> offsets = env.put(LocalPipeline.INTERNAL_SERVER, Collections.singletonList(null),
                List.of("{\"syncId\":\"r-bad\",\"nextAttemptAt\":\"soon\"}".getBytes(StandardCharsets.UTF_8)));
        int unrecoverable = env.readAll(LocalPipeline.UNRECOVERABLE).size();
        var r = stack.service().retry(new RetryRequest(env.stream(LocalPipeline.INTERNAL_SERVER), 1,
                offsets.get(0) - 1, "0", List.of()), Deadline.in(Duration.ofSeconds(20)));
        assertEquals(1, r.failedMessages());
        assertEquals(1, r.routedMessages());
        assertEquals(unrecoverable, env.readAll(LocalPipeline.UNRECOVERABLE).size());
        JsonNode d = envelopes("DeadLetterStream").get(0);
        assertEquals("corrupt", d.get("deadLetterReason").asText());
        assertTrue(d.get("lastError").get("reason").asText().contains("nextAttemptAt"));
    }

    @Test
    public void aPassThatDiesBeforeItsCommitLosesNothingAndTheNextPassReadsItAgain() throws Exception {
        AtomicBoolean commitFails = new AtomicBoolean(true);
        RetryStack stack = stack(Map.of("redrive_schedule", "10s,10s", "redrive_max_age", "1h"),
                real -> ForwardingProxy.of(Stream.class, real, (method, args) -> {
                    if (method.equals("consumerCommit") && commitFails.get()) {
                        throw new BmcException(500, "InternalServerError", "the pass's container died", "r-1");
                    }
                }));
        String ok = "/resume-ok";
        String down = "/resume-down";
        env.target().byDefault(ok, Reply.status(200)).byDefault(down, Reply.status(503));
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(null);
            // routed before the redrive existed: no nextAttemptAt, so due at once
            values.add(("{\"targetRestApi\":\"" + target(i % 2 == 0 ? ok : down) + "\",\"targetRestApiOperation\":"
                    + "\"POST\",\"syncId\":\"res-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        env.put(LocalPipeline.SERVICE_UNAVAILABLE, keys, values);

        RedriveTotals died = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(RedriveTotals.UNAVAILABLE, died.outcome());
        assertNull("nothing committed", committed(LocalPipeline.SERVICE_UNAVAILABLE));
        assertEquals(List.of("res-0", "res-2", "res-4"), keysReceived(ok).stream().sorted().toList());

        commitFails.set(false);
        RedriveTotals next = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(RedriveTotals.REACHED_TIP, next.outcome());
        // the 6 originals again, plus the 3 copies the dead pass had appended; the originals are in the partition's
        // marks (recorded before the commit that failed), so none is delivered or copied a second time
        assertEquals(9, next.read());
        assertEquals(6, next.alreadySettled());
        assertEquals(List.of("res-0", "res-2", "res-4"), keysReceived(ok).stream().sorted().toList());
        // every failing message is still waiting in the stream after the committed position, once: nothing lost
        long committedAt = committed(LocalPipeline.SERVICE_UNAVAILABLE);
        List<String> waiting = new ArrayList<>();
        for (Message m : env.readAll(LocalPipeline.SERVICE_UNAVAILABLE)) {
            if (m.getOffset() > committedAt) {
                waiting.add(Json.parse(m.getValue()).get("syncId").asText());
            }
        }
        assertEquals(List.of("res-1", "res-3", "res-5"), waiting.stream().sorted().toList());
    }

    @Test
    public void appendsFailingAfterTheFirstPageLeaveTheRestUncommittedForTheNextPass() throws Exception {
        RetryStack stack = stack(Map.of("redrive_schedule", "10s,10s", "redrive_max_age", "1h"));
        String p = "/pages";
        env.target().byDefault(p, Reply.status(503));
        int n = PartitionReader.FIRST_PAGE_LIMIT + 4;
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(null);
            values.add(("{\"targetRestApi\":\"" + target(p) + "\",\"targetRestApiOperation\":\"POST\","
                    + "\"syncId\":\"pg-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<Long> offsets = env.put(LocalPipeline.SERVICE_UNAVAILABLE, keys, values);
        // once the second page is being delivered, Streaming refuses every append
        String secondPage = "pg-" + PartitionReader.FIRST_PAGE_LIMIT;
        env.target().onRequest(r -> {
            if (secondPage.equals(r.header("Idempotency-Key"))) {
                env.oci().faults().set("PutMessages", FaultRule.failing(1.0, 500));
            }
        });
        RedriveTotals broken;
        try {
            broken = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        } finally {
            env.target().onRequest(null);
            env.oci().faults().clear();
        }
        assertEquals(RedriveTotals.ROUTING_FAILED, broken.outcome());
        assertEquals("the first page was committed", offsets.get(PartitionReader.FIRST_PAGE_LIMIT - 1),
                committed(LocalPipeline.SERVICE_UNAVAILABLE));

        RedriveTotals next = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(RedriveTotals.REACHED_TIP, next.outcome());
        for (int i = 0; i < n; i++) {
            long tries = keysReceived(p).stream().filter(("pg-" + i)::equals).count();
            assertEquals("pg-" + i, i < PartitionReader.FIRST_PAGE_LIMIT ? 1 : 2, tries);
        }
        // each message waits exactly once after the committed position
        long committedAt = committed(LocalPipeline.SERVICE_UNAVAILABLE);
        List<String> waiting = new ArrayList<>();
        for (Message m : env.readAll(LocalPipeline.SERVICE_UNAVAILABLE)) {
            if (m.getOffset() > committedAt) {
                waiting.add(Json.parse(m.getValue()).get("syncId").asText());
            }
        }
        assertEquals(n, waiting.size());
        assertEquals(n, waiting.stream().distinct().count());
    }

    @Test
    public void thePassWaitsForAPartitionAReplayHoldsAndLeavesWhatTheReplayDelivered() throws Exception {
        RetryStack stack = stack(Map.of());
        String p = "/claimed";
        env.target().byDefault(p, Reply.status(200));
        List<byte[]> values = new ArrayList<>();
        for (String id : List.of("cl-1", "cl-2")) {
            values.add(("{\"targetRestApi\":\"" + target(p) + "\",\"targetRestApiOperation\":\"POST\","
                    + "\"syncId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<Long> offsets = env.put(LocalPipeline.SERVICE_UNAVAILABLE, Arrays.asList(null, null), values);
        String su = env.stream(LocalPipeline.SERVICE_UNAVAILABLE);
        // a manual replay delivers the first one and records it in the partition's marks
        assertEquals(1, stack.service().retry(new RetryRequest(su, 1, offsets.get(0) - 1, "0", List.of()),
                Deadline.in(Duration.ofSeconds(20))).processedmessages());

        PartitionLease leases = new PartitionLease(stack.delivery().stateObjects(), clock,
                JsonLog.to(logLines::add, clock));
        try (HeldLease replaying = leases.acquire(su, "0", "replay-elsewhere", Duration.ofSeconds(20))) {
            RedriveTotals busy = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
            assertEquals(RedriveTotals.BUSY, busy.outcome());
            assertEquals(0, busy.read());
            assertTrue(replaying.held());
        } finally {
            leases.close();
        }
        assertNull("nothing committed while the replay held the partition",
                committed(LocalPipeline.SERVICE_UNAVAILABLE));

        RedriveTotals t = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(RedriveTotals.REACHED_TIP, t.outcome());
        assertEquals(2, t.read());
        assertEquals("the replay's delivery is not repeated", 1, t.alreadySettled());
        assertEquals(1, t.delivered());
        assertEquals(List.of("cl-1", "cl-2"), keysReceived(p));
        // what the pass delivered is in the marks too: a replay of the whole range sends nothing again
        var again = stack.service().retry(new RetryRequest(su, 2, offsets.get(0) - 1, "0", List.of()),
                Deadline.in(Duration.ofSeconds(20)));
        assertEquals(0, again.processedmessages());
        assertEquals(2, again.alreadyDeliveredMessages());
        assertEquals(List.of("cl-1", "cl-2"), keysReceived(p));
    }

    @Test
    public void aReplayAfterAPassNeitherSendsNorAppendsAgainWhatThePassDeliveredOrReappended() throws Exception {
        RetryStack stack = stack(Map.of("redrive_schedule", "10s,10s", "redrive_max_age", "1h"));
        env.target().byDefault("/marks-ok", Reply.status(200)).byDefault("/marks-down", Reply.status(503));
        List<byte[]> values = new ArrayList<>();
        for (String[] m : List.of(new String[]{"/marks-ok", "mk-ok"}, new String[]{"/marks-down", "mk-down"})) {
            values.add(("{\"targetRestApi\":\"" + target(m[0]) + "\",\"targetRestApiOperation\":\"POST\","
                    + "\"syncId\":\"" + m[1] + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<Long> offsets = env.put(LocalPipeline.SERVICE_UNAVAILABLE, Arrays.asList(null, null), values);
        RedriveTotals t = pass(stack, LocalPipeline.SERVICE_UNAVAILABLE);
        assertEquals(1, t.delivered());
        assertEquals(1, t.reappended());
        int stored = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();

        var r = stack.service().retry(new RetryRequest(env.stream(LocalPipeline.SERVICE_UNAVAILABLE), 2,
                offsets.get(0) - 1, "0", List.of()), Deadline.in(Duration.ofSeconds(20)));
        assertEquals(0, r.processedmessages());
        assertEquals(0, r.failedMessages());
        assertEquals("delivered by the pass", 1, r.alreadyDeliveredMessages());
        assertEquals("re-appended by the pass: its copy is the one to replay", 1, r.alreadyMovedMessages());
        assertEquals(List.of("mk-ok"), keysReceived("/marks-ok"));
        assertEquals(List.of("mk-down"), keysReceived("/marks-down"));
        assertEquals("nothing appended again", stored, env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size());
    }
}
