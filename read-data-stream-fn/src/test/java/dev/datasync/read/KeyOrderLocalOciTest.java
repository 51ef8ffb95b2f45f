package dev.datasync.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.fn.RetryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.retry.RetryRequest;
import dev.datasync.shared.retry.RetryResponse;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.datasync.read.SchBatches.batch;
import static dev.datasync.read.SchBatches.element;
import static dev.datasync.read.SchBatches.fromSource;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Per-key order across batches, containers and restarts, with the real SDK against local-oci (streams and the
 * state bucket) and a real local target: a message whose key has an earlier undelivered message in an error stream
 * is not delivered but held behind it there ({@code heldBehind}, lastError kind {@code heldBack}); a replay delivers
 * them in order; a blocker that ends releases them (default) or takes them with it ({@code deadLetter}). Each
 * {@link DeliveryStack} is one container: nothing of the held state lives in it.
 */
public class KeyOrderLocalOciTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.against(env());

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> containers = new ArrayList<>();

    private static LocalPipeline env() {
        return ENV.pipeline();
    }

    @After
    public void closeContainers() throws Exception {
        for (AutoCloseable c : containers) {
            c.close();
        }
    }

    /** The application configuration with one attempt per delivery (a failure is routed at once). */
    private static Map<String, String> config(String... overrides) {
        Map<String, String> c = env().config();
        c.put("delivery_max_attempts", "1");
        for (int i = 0; i < overrides.length; i += 2) {
            c.put(overrides[i], overrides[i + 1]);
        }
        return c;
    }

    /** A new ReadDataStream container: its own clients, caches and workers. */
    private ReadDataStreamHandler readContainer(String... overrides) {
        JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
        DeliveryStack stack = DeliveryStack.create(DataSyncConfig.from(config(overrides)), log);
        containers.add(stack);
        return new ReadDataStreamHandler(stack.pipeline(), stack.defaultRoutes(), stack.redrivePending(), log);
    }

    /** A new Retry container. */
    private RetryStack retryContainer(String... overrides) {
        RetryStack stack = RetryStack.create(DataSyncConfig.from(config(overrides)),
                JsonLog.to(logLines::add, Clock.systemUTC()));
        containers.add(stack);
        return stack;
    }

    private static String handle(ReadDataStreamHandler handler, String body) {
        return handler.handle(body.getBytes(StandardCharsets.UTF_8), Deadline.in(Duration.ofSeconds(30)));
    }

    private static RetryResponse replay(RetryStack retry, String stream, long afterOffset, int count) {
        return retry.service().retry(new RetryRequest(env().stream(stream), count, afterOffset, "0", List.of()),
                Deadline.in(Duration.ofSeconds(30)));
    }

    /** A keyed message of source orders-app to a path of the target. */
    private static String keyed(String key, String path, String syncId, long offset) {
        return element(key, fromSource(SchBatches.message(env().target().baseUrl() + path, "POST", syncId, null),
                "orders-app"), offset, 1764050400456L);
    }

    private static List<String> syncIdsReceived(String path) {
        return env().target().received(path).stream().map(r -> r.header("Idempotency-Key")).toList();
    }

    private static List<JsonNode> newIn(String stream, int before) throws Exception {
        List<Message> all = env().readAll(stream);
        List<JsonNode> out = new ArrayList<>();
        for (Message m : all.subList(before, all.size())) {
            out.add(Json.parse(m.getValue()));
        }
        return out;
    }

    private static int size(String stream) {
        return env().readAll(stream).size();
    }

    private static long lastOffset(String stream) {
        List<Message> all = env().readAll(stream);
        return all.isEmpty() ? -1 : all.get(all.size() - 1).getOffset();
    }

    @Test
    public void aLaterMessageOfAFailedKeyIsHeldInTheNextBatchAndAReplayDeliversBothInOrder() throws Exception {
        String p = "/held-" + System.nanoTime();
        env().target().script(p, Reply.status(503));
        long before = lastOffset(LocalPipeline.SERVICE_UNAVAILABLE);
        int su = size(LocalPipeline.SERVICE_UNAVAILABLE);
        // two invocations of the function in one container, through the FDK: batch 1, then batch 2
        fn.setConfig("delivery_max_attempts", "1");
        fn.givenEvent().withBody(batch(keyed("k1", p, "k1#1", 1))).enqueue();
        fn.givenEvent().withBody(batch(keyed("k1", p, "k1#2", 2), element(null,
                SchBatches.message(env().target().baseUrl() + p + "/free", "POST", "free#1", null), 3, 1L)))
                .enqueue();
        fn.thenRun(ReadDataStreamFunction.class, "handleRequest");
        for (FnResult r : fn.getResults()) {
            assertEquals(OutputEvent.Status.Success, r.getStatus());
        }
        assertEquals("k1#2 was never sent", List.of("k1#1"), syncIdsReceived(p));
        assertEquals("a keyless message is not held", List.of("free#1"), syncIdsReceived(p + "/free"));
        List<JsonNode> placed = newIn(LocalPipeline.SERVICE_UNAVAILABLE, su);
        assertEquals(2, placed.size());
        assertEquals("k1#1", placed.get(0).get("syncId").asText());
        assertEquals(503, placed.get(0).get("lastError").get("status").asInt());
        assertFalse(placed.get(0).has("heldBehind"));
        JsonNode held = placed.get(1);
        assertEquals("k1#2", held.get("syncId").asText());
        assertEquals("k1#1", held.get("heldBehind").asText());
        assertEquals("heldBack", held.get("lastError").get("kind").asText());
        assertEquals(0, held.get("deliveryAttempts").asInt());

        // the target heals; a replay of the stream delivers both, in key order
        env().target().byDefault(p, Reply.status(200));
        RetryResponse replayed = replay(retryContainer(), LocalPipeline.SERVICE_UNAVAILABLE, before, 2);
        assertEquals(2, replayed.processedmessages());
        assertEquals(List.of("k1#1", "k1#1", "k1#2"), syncIdsReceived(p));

        // the key is free again: its next message goes straight through
        handle(readContainer(), batch(keyed("k1", p, "k1#3", 4)));
        assertEquals(List.of("k1#1", "k1#1", "k1#2", "k1#3"), syncIdsReceived(p));
    }

    @Test
    public void theHeldStateOutlivesTheContainerAndIsSharedByEveryContainer() throws Exception {
        String p = "/held-restart-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(503));
        int su = size(LocalPipeline.SERVICE_UNAVAILABLE);
        ReadDataStreamHandler first = readContainer();
        handle(first, batch(keyed("k2", p, "k2#1", 1)));
        // another container, at the same time (another partition's connector or a scale-out)
        ReadDataStreamHandler second = readContainer();
        env().target().byDefault(p, Reply.status(200));
        handle(second, batch(keyed("k2", p, "k2#2", 2)));
        // a restart: every container gone, a new one
        closeContainers();
        containers.clear();
        handle(readContainer(), batch(keyed("k2", p, "k2#3", 3)));

        assertEquals("only the blocker was ever sent", List.of("k2#1"), syncIdsReceived(p));
        List<JsonNode> placed = newIn(LocalPipeline.SERVICE_UNAVAILABLE, su);
        assertEquals(3, placed.size());
        assertEquals("k2#2", placed.get(1).get("syncId").asText());
        assertEquals("k2#1", placed.get(1).get("heldBehind").asText());
        assertEquals("k2#3", placed.get(2).get("syncId").asText());
        assertEquals("k2#1", placed.get(2).get("heldBehind").asText());
    }

    @Test
    public void aReplayLeavesAHeldMessageWhereItIsWhileItsBlockerIsUndelivered() throws Exception {
        String p = "/held-replay-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(503));
        ReadDataStreamHandler read = readContainer();
        handle(read, batch(keyed("k3", p, "k3#1", 1)));
        long blockerOffset = lastOffset(LocalPipeline.SERVICE_UNAVAILABLE);
        handle(read, batch(keyed("k3", p, "k3#2", 2)));
        env().target().byDefault(p, Reply.status(200));
        int su = size(LocalPipeline.SERVICE_UNAVAILABLE);

        // a replay that starts after the blocker: k3#2 must not overtake it
        RetryResponse skipped = replay(retryContainer(), LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset, 1);
        assertEquals(0, skipped.processedmessages());
        assertEquals(1, skipped.leftInPlaceMessages());
        assertEquals(su, size(LocalPipeline.SERVICE_UNAVAILABLE));
        assertEquals(List.of("k3#1"), syncIdsReceived(p));

        // the blocker, then the held message, one replay call each
        replay(retryContainer(), LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset - 1, 1);
        replay(retryContainer(), LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset, 1);
        assertEquals(List.of("k3#1", "k3#1", "k3#2"), syncIdsReceived(p));
    }

    @Test
    public void aBlockerThatEndsUnrecoverableReleasesTheMessagesHeldBehindItByDefault() throws Exception {
        String p = "/released-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(503));
        ReadDataStreamHandler read = readContainer();
        handle(read, batch(keyed("k4", p, "k4#1", 1)));
        long blockerOffset = lastOffset(LocalPipeline.SERVICE_UNAVAILABLE);
        handle(read, batch(keyed("k4", p, "k4#2", 2)));
        int unrecoverable = size(LocalPipeline.UNRECOVERABLE);

        // replayed, the blocker is refused for good (400): it ends in the unrecoverable stream ...
        env().target().script(p, Reply.status(400), Reply.status(200), Reply.status(200));
        RetryStack retry = retryContainer();
        replay(retry, LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset - 1, 1);
        List<JsonNode> ended = newIn(LocalPipeline.UNRECOVERABLE, unrecoverable);
        assertEquals(1, ended.size());
        assertEquals("k4#1", ended.get(0).get("syncId").asText());
        assertTrue(logLines.toString(), logLines.stream().anyMatch(l -> l.contains("\"event\":\"key.released\"")
                && l.contains("\"syncId\":\"k4#1\"")));
        // ... and what was held behind it is released: delivered in order, and so is the key's next message
        assertEquals(1, replay(retry, LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset, 1).processedmessages());
        handle(read, batch(keyed("k4", p, "k4#3", 3)));
        assertEquals(List.of("k4#1", "k4#1", "k4#2", "k4#3"), syncIdsReceived(p));

        // inside one batch too: a 400 does not hold back the rest of its key
        String q = "/released-batch-" + System.nanoTime();
        env().target().script(q, Reply.status(400), Reply.status(200));
        handle(read, batch(keyed("k5", q, "k5#1", 4), keyed("k5", q, "k5#2", 5)));
        assertEquals(List.of("k5#1", "k5#2"), syncIdsReceived(q));
    }

    @Test
    public void withDeadLetterTheMessagesHeldBehindAnEndedBlockerEndWithIt() throws Exception {
        String p = "/dead-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(503));
        ReadDataStreamHandler read = readContainer("held_on_dead_letter", "deadLetter");
        handle(read, batch(keyed("k6", p, "k6#1", 1)));
        long blockerOffset = lastOffset(LocalPipeline.SERVICE_UNAVAILABLE);
        handle(read, batch(keyed("k6", p, "k6#2", 2)));
        int unrecoverable = size(LocalPipeline.UNRECOVERABLE);

        env().target().byDefault(p, Reply.status(400));
        RetryStack retry = retryContainer("held_on_dead_letter", "deadLetter");
        replay(retry, LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset - 1, 1);
        env().target().byDefault(p, Reply.status(200));
        RetryResponse second = replay(retry, LocalPipeline.SERVICE_UNAVAILABLE, blockerOffset, 1);

        assertEquals(0, second.processedmessages());
        assertEquals("the held message was never sent", List.of("k6#1", "k6#1"), syncIdsReceived(p));
        List<JsonNode> ended = newIn(LocalPipeline.UNRECOVERABLE, unrecoverable);
        assertEquals(2, ended.size());
        JsonNode withIt = ended.get(1);
        assertEquals("k6#2", withIt.get("syncId").asText());
        assertEquals("blockerDeadLettered", withIt.get("deadLetterReason").asText());
        assertEquals("k6#1", withIt.get("heldBehind").asText());
        assertTrue(withIt.has("deadLetteredAt"));

        // inside one batch: the rest of the key ends with a 400 too, never sent
        String q = "/dead-batch-" + System.nanoTime();
        env().target().byDefault(q, Reply.status(400));
        int before = size(LocalPipeline.UNRECOVERABLE);
        handle(read, batch(keyed("k7", q, "k7#1", 3), keyed("k7", q, "k7#2", 4)));
        assertEquals(List.of("k7#1"), syncIdsReceived(q));
        assertEquals("blockerDeadLettered",
                newIn(LocalPipeline.UNRECOVERABLE, before).get(1).get("deadLetterReason").asText());
    }

    @Test
    public void withKeyOrderingOffALaterMessageIsDeliveredAsBefore() throws Exception {
        String p = "/unordered-" + System.nanoTime();
        env().target().script(p, Reply.status(503), Reply.status(200));
        ReadDataStreamHandler read = readContainer("key_ordering", "false");
        handle(read, batch(keyed("k8", p, "k8#1", 1)));
        handle(read, batch(keyed("k8", p, "k8#2", 2)));
        assertEquals(List.of("k8#1", "k8#2"), syncIdsReceived(p));
    }

    /** A key's messages from two sources are two keys: one source's failure holds nothing of the other's. */
    @Test
    public void twoSourcesWithTheSameStreamKeyAreTwoKeys() throws Exception {
        String p = "/two-sources-" + System.nanoTime();
        env().target().script(p, Reply.status(503), Reply.status(200));
        ReadDataStreamHandler read = readContainer();
        handle(read, batch(keyed("k9", p, "k9#1", 1)));
        handle(read, batch(element("k9", fromSource(SchBatches.message(env().target().baseUrl() + p, "POST",
                "billing#1", null), "billing"), 2, 1L)));
        assertEquals(List.of("k9#1", "billing#1"), syncIdsReceived(p));
    }
}
