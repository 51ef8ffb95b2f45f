package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.util.CircuitBreakerUtils;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.IdempotencyHeaders;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.ObjectStorageStateObjects;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SecretQuota;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.StateBucket;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;
import dev.datasync.shared.testing.AtOnce;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/**
 * Idempotent ingest ({@code Idempotency-Key} on {@code POST /stream/sync}) through the real SDK against local-oci:
 * the key's state object in the state bucket, the messages counted in DataSyncStream. A resend answers the first
 * answer and writes nothing; another body is 409; another source's key is its own; racing resends write once; a
 * crashed request's key is taken over with its syncIds; an outage of the state store is 503 with nothing written.
 */
public class IdempotentSyncLocalOciTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    private static final String OTHER_SOURCE = "billing-app";

    private static LocalPipeline env;
    private static DataSyncConfig config;
    private static OciClients clients;
    private static String target;

    private final AdjustableClock clock = new AdjustableClock();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> stateCalls = new ConcurrentHashMap<>();

    @BeforeClass
    public static void start() {
        env = ENV.pipeline();
        config = DataSyncConfig.from(env.config());
        // without SDK retries: an injected fault reaches the code under test at once
        clients = new OciClients(config.oci(), ClientConfiguration.builder()
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration()).build());
        target = env.target().baseUrl() + "/orders";
    }

    @AfterClass
    public static void stop() {
        clients.close();
    }

    @After
    public void clearFaults() {
        env.oci().faults().clear();
    }

    /** A container's handler over local-oci, its state calls counted; {@code hook} sees each state call first. */
    private SyncHandler handler(BiConsumer<String, Object[]> hook) {
        StateObjects real = new ObjectStorageStateObjects(new StateBucket(clients::objectStorage, config.state()));
        StateObjects state = ForwardingProxy.of(StateObjects.class, real, (method, args) -> {
            stateCalls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            hook.accept(method, args);
        });
        JsonLog log = JsonLog.to(logLines::add, clock);
        return new SyncHandler(config, new TargetGuard(config.targets()), new StreamWriter(clients::stream),
                new TokenVault(clients::vaults, clients::secrets, config.vault()),
                new SourceRegistry(clients::objectStorage, config.state(), config.targets(),
                        config.sourceDefaults(), clock),
                new SecretQuota(clients::vaults, config.vault(), clock), null, state, log, clock,
                () -> UUID.randomUUID().toString());
    }

    private SyncHandler handler() {
        return handler((method, args) -> { });
    }

    private int stateCalls() {
        return stateCalls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static String body(String orderId) {
        return SyncRequests.requestTo(target, "k-" + orderId, "").replace("18jan", orderId);
    }

    private static SyncCall call(String sourceId, String body, String key) {
        SyncCall c = new SyncCall("POST", Optional.of("application/json"), Optional.empty(), Optional.of(sourceId),
                body.getBytes(StandardCharsets.UTF_8));
        return key == null ? c : c.withIdempotencyKey(key);
    }

    private static SyncCall call(String body, String key) {
        return call(SyncRequests.SOURCE, body, key);
    }

    /** Every message of DataSyncStream (both partitions). */
    private static List<Message> data() {
        List<Message> all = new ArrayList<>(env.readAll(LocalPipeline.DATA, "0"));
        all.addAll(env.readAll(LocalPipeline.DATA, "1"));
        return all;
    }

    private static List<String> syncIdsInStream() {
        return data().stream().map(m -> {
            try {
                return Json.parse(m.getValue()).get("syncId").asText();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static String syncId(GatewayAnswer a) throws Exception {
        return Json.parse(a.body()).get("syncId").asText();
    }

    private static void expect(GatewayAnswer a, int status, String code) throws Exception {
        assertEquals(a.bodyText(), status, a.status());
        JsonNode error = Json.parse(a.body());
        assertEquals(code, error.get("code").asText());
        assertEquals(IdempotencyHeaders.KEY, error.get("field").asText());
        assertTrue(error.has("message"));
        assertNull(a.headers().get(IdempotencyHeaders.REPLAYED));
    }

    @Test
    public void aResendWithTheSameBodyGetsTheFirstAnswerAndWritesNothing() throws Exception {
        SyncHandler handler = handler();
        String body = body("resend-1");
        GatewayAnswer first = handler.handle(call(body, "order-1001"));
        assertEquals(first.bodyText(), 202, first.status());
        assertNull(first.headers().get(IdempotencyHeaders.REPLAYED));
        int written = data().size();

        GatewayAnswer again = handler.handle(call(body, "order-1001"));
        assertEquals(202, again.status());
        assertArrayEquals("the first answer: same syncId, partition and offset", first.body(), again.body());
        assertEquals("true", again.headers().get(IdempotencyHeaders.REPLAYED));
        assertEquals("application/json", again.headers().get("Content-Type"));
        assertEquals("nothing written", written, data().size());

        GatewayAnswer otherContainer = handler().handle(call(body, "order-1001"));
        assertArrayEquals("every container sees the key", first.body(), otherContainer.body());
        assertEquals(written, data().size());
        assertEquals(1, syncIdsInStream().stream().filter(syncId(first)::equals).count());
    }

    @Test
    public void anArrayBodyIsAnsweredAgainItemByItem() throws Exception {
        SyncHandler handler = handler();
        String body = "[" + body("array-1") + "," + body("array-2") + "]";
        GatewayAnswer first = handler.handle(call(body, "batch-7"));
        assertEquals(first.bodyText(), 202, first.status());
        int written = data().size();
        GatewayAnswer again = handler.handle(call(body, "batch-7"));
        assertArrayEquals(first.body(), again.body());
        assertEquals("true", again.headers().get(IdempotencyHeaders.REPLAYED));
        assertEquals(written, data().size());
    }

    @Test
    public void theSameKeyWithAnotherBodyIs409AndWritesNothing() throws Exception {
        SyncHandler handler = handler();
        GatewayAnswer first = handler.handle(call(body("reuse-1"), "order-2002"));
        assertEquals(202, first.status());
        int written = data().size();
        expect(handler.handle(call(body("reuse-2"), "order-2002")), 409, "IdempotencyKeyReuse");
        assertEquals(written, data().size());
        GatewayAnswer original = handler.handle(call(body("reuse-1"), "order-2002"));
        assertArrayEquals("the key still answers its own body", first.body(), original.body());
    }

    @Test
    public void anotherSourcesKeyIsAnotherKey() throws Exception {
        SyncHandler handler = handler();
        String body = body("shared-key");
        GatewayAnswer mine = handler.handle(call(body, "order-3003"));
        int written = data().size();
        GatewayAnswer theirs = handler.handle(call(OTHER_SOURCE, body, "order-3003"));
        assertEquals(theirs.bodyText(), 202, theirs.status());
        assertNull(theirs.headers().get(IdempotencyHeaders.REPLAYED));
        assertNotEquals(syncId(mine), syncId(theirs));
        assertEquals(written + 1, data().size());
        GatewayAnswer theirsAgain = handler.handle(call(OTHER_SOURCE, body, "order-3003"));
        assertArrayEquals(theirs.body(), theirsAgain.body());
        expect(handler.handle(call(OTHER_SOURCE, body("other"), "order-3003")), 409, "IdempotencyKeyReuse");
        assertEquals(written + 1, data().size());
    }

    @Test
    public void racingRequestsWithOneKeyWriteOnce() throws Exception {
        SyncHandler handler = handler();
        String body = body("race-1");
        int before = data().size();
        List<Object> answers = AtOnce.run(8, i -> handler.handle(call(body, "order-4004")));
        assertEquals("one write", before + 1, data().size());
        Set<String> syncIds = new java.util.HashSet<>();
        int accepted = 0;
        for (Object o : answers) {
            GatewayAnswer a = (GatewayAnswer) o;
            if (a.status() == 202) {
                accepted++;
                syncIds.add(syncId(a));
            } else {
                expect(a, 409, "IdempotencyKeyInProgress");
                assertEquals(IdempotentIngest.IN_PROGRESS_RETRY_AFTER_SECONDS, a.headers().get("Retry-After"));
            }
        }
        assertTrue(answers.toString(), accepted >= 1);
        assertEquals("one syncId for every 202", 1, syncIds.size());
        GatewayAnswer after = handler.handle(call(body, "order-4004"));
        assertEquals("true", after.headers().get(IdempotencyHeaders.REPLAYED));
        assertEquals(syncIds.iterator().next(), syncId(after));
        assertEquals(before + 1, data().size());
    }

    @Test
    public void aCrashedRequestsKeyIsTakenOverWithItsSyncIdsOnceItsLeaseEnds() throws Exception {
        // the request writes to the stream, then cannot complete its key (as if it died there)
        SyncHandler crashing = handler((method, args) -> {
            if (method.equals("replace")) {
                throw new StateUnavailableException("the container died", null);
            }
        });
        String body = body("crash-1");
        GatewayAnswer first = crashing.handle(call(body, "order-5005"));
        assertEquals(first.bodyText(), 202, first.status());
        String syncId = syncId(first);
        int written = data().size();

        SyncHandler handler = handler();
        GatewayAnswer during = handler.handle(call(body, "order-5005"));
        expect(during, 409, "IdempotencyKeyInProgress");
        assertEquals(written, data().size());

        clock.advance(IdempotentIngest.LEASE.plusSeconds(1));
        GatewayAnswer takeover = handler.handle(call(body, "order-5005"));
        assertEquals(takeover.bodyText(), 202, takeover.status());
        assertEquals("the stored syncId, not a second one", syncId, syncId(takeover));
        assertEquals(written + 1, data().size());
        assertEquals("at worst a duplicate under the same syncId", 2,
                syncIdsInStream().stream().filter(syncId::equals).count());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("idempotency.taken_over")));

        GatewayAnswer after = handler.handle(call(body, "order-5005"));
        assertArrayEquals(takeover.body(), after.body());
        assertEquals("true", after.headers().get(IdempotencyHeaders.REPLAYED));
        assertEquals(written + 1, data().size());
    }

    @Test
    public void anExpiredKeyIsForgotten() throws Exception {
        SyncHandler handler = handler();
        String body = body("expiry-1");
        GatewayAnswer first = handler.handle(call(body, "order-6006"));
        clock.advance(config.idempotency().window().minusSeconds(1));
        assertArrayEquals("within the window", first.body(), handler.handle(call(body, "order-6006")).body());
        clock.advance(Duration.ofSeconds(2));
        int written = data().size();
        GatewayAnswer later = handler.handle(call(body, "order-6006"));
        assertEquals(later.bodyText(), 202, later.status());
        assertNull(later.headers().get(IdempotencyHeaders.REPLAYED));
        assertNotEquals(syncId(first), syncId(later));
        assertEquals(written + 1, data().size());
        expect(handler.handle(call(body("expiry-2"), "order-6006")), 409, "IdempotencyKeyReuse");
    }

    @Test
    public void aStateStoreOutageIs503AndWritesNothing() throws Exception {
        SyncHandler handler = handler();
        int before = data().size();
        for (String operation : List.of("GetObject", "PutObject")) {
            env.oci().faults().set(operation, FaultRule.failing(1.0, 503));
            GatewayAnswer down = handler.handle(call(body("outage-1"), "order-7007"));
            expect(down, 503, "ServiceUnavailable");
            assertEquals("2", down.headers().get("Retry-After"));
            assertEquals(operation, before, data().size());
            env.oci().faults().clear();
        }
        GatewayAnswer up = handler.handle(call(body("outage-1"), "order-7007"));
        assertEquals(up.bodyText(), 202, up.status());
        assertEquals(before + 1, data().size());
    }

    @Test
    public void aStreamWriteThatFailedGivesTheKeyUpSoAResendWrites() throws Exception {
        SyncHandler handler = handler();
        String body = body("stream-down-1");
        int before = data().size();
        env.oci().faults().set("PutMessages", FaultRule.failing(1.0, 500));
        GatewayAnswer down = handler.handle(call(body, "order-8008"));
        assertEquals(down.bodyText(), 503, down.status());
        assertEquals(before, data().size());
        env.oci().faults().clear();
        GatewayAnswer resent = handler.handle(call(body, "order-8008"));
        assertEquals(resent.bodyText(), 202, resent.status());
        assertNull(resent.headers().get(IdempotencyHeaders.REPLAYED));
        assertEquals(before + 1, data().size());
    }

    @Test
    public void aBadKeyIs400AndNothingIsReadOrWritten() throws Exception {
        SyncHandler handler = handler();
        int before = data().size();
        String tooLong = "k".repeat(IdempotencyHeaders.MAX_KEY_LENGTH + 1);
        for (String bad : List.of("", tooLong, "café", "line\nbreak", "tab\there", "\u0001")) {
            GatewayAnswer a = handler.handle(call(body("bad-key"), bad));
            assertEquals(bad, 400, a.status());
            JsonNode error = Json.parse(a.body());
            assertEquals("InvalidField", error.get("code").asText());
            assertEquals(IdempotencyHeaders.KEY, error.get("field").asText());
        }
        SyncCall twice = new SyncCall("POST", Optional.of("application/json"), Optional.empty(),
                Optional.of(SyncRequests.SOURCE), body("bad-key").getBytes(StandardCharsets.UTF_8),
                List.of("a", "b"));
        assertEquals(400, handler.handle(twice).status());
        assertEquals(before, data().size());
        assertEquals("no state call", 0, stateCalls());
        assertEquals("the longest key is fine", 202,
                handler.handle(call(body("long-key"), "k".repeat(IdempotencyHeaders.MAX_KEY_LENGTH))).status());
    }

    @Test
    public void withoutAKeyNoStateCallIsMadeAndAKeyCostsThree() throws Exception {
        SyncHandler handler = handler();
        for (int i = 0; i < 5; i++) {
            assertEquals(202, handler.handle(call(body("no-key-" + i), null)).status());
        }
        assertEquals("no state call without Idempotency-Key", 0, stateCalls());
        assertEquals(202, handler.handle(call(body("with-key"), "order-9009")).status());
        assertEquals("read, create, complete: " + stateCalls, 3, stateCalls());
        handler.handle(call(body("with-key"), "order-9009"));
        assertEquals("a replay: one read", 4, stateCalls());
        assertEquals(Set.of("read", "create", "replace"), stateCalls.keySet());
        assertFalse("the key itself is never logged",
                logLines.stream().collect(Collectors.joining()).contains("order-9009"));
    }
}
