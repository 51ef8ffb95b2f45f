package dev.datasync.shared.retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.fn.RetryStack;
import dev.datasync.shared.oci.OciErrorStreamReader;
import dev.datasync.shared.oci.PartitionReader;
import dev.datasync.shared.retry.internal.ErrorMapping;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** RetryService (read → deliver → route) through the real SDK against local-oci and a real local target. */
public class RetryServiceLocalOciTest {

    private static LocalPipeline env;
    private static RetryStack retry;
    private static DeliveryStack stack;
    private static RetryService service;
    private static final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();

    @BeforeClass
    public static void start() {
        env = LocalPipeline.start();
        Map<String, String> config = env.config();
        // one worker: messages are tried strictly in offset order, so "the first not tried" is deterministic
        config.put("delivery_concurrency", "1");
        config.put("delivery_max_attempts", "1");
        DataSyncConfig c = DataSyncConfig.from(config);
        JsonLog log = JsonLog.to(logLines::add, Clock.systemUTC());
        retry = new RetryStack(new DeliveryStack(c, new OciClients(c.oci()), Clock.systemUTC(), log), log);
        stack = retry.delivery();
        service = retry.service();
    }

    @AfterClass
    public static void stop() {
        retry.close();
        env.close();
    }

    /** A message as it sits in an error stream (a routed envelope). */
    static byte[] routed(String target, String syncId) {
        return ("{\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"18jan\"},\"syncId\":\"" + syncId + "\","
                + "\"receivedAt\":\"2026-11-25T06:00:00Z\",\"deliveryAttempts\":4,"
                + "\"lastError\":{\"status\":503,\"reason\":\"HTTP 503\",\"at\":\"2026-11-25T06:00:01Z\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<Long> put(String stream, String target, String... syncIds) {
        List<byte[]> values = new ArrayList<>();
        for (String id : syncIds) {
            values.add(routed(target, id));
        }
        return env.put(stream, new ArrayList<>(Collections.nCopies(values.size(), (String) null)), values);
    }

    private static List<Message> tail(String stream, int from) {
        List<Message> all = env.readAll(stream);
        return all.subList(from, all.size());
    }

    /** The seed's mapping: unexpectedError → the unrecoverable stream. */
    private static List<ErrorMapping> seedMapping() {
        return List.of(new ErrorMapping("unexpectedError", env.stream(LocalPipeline.UNRECOVERABLE)));
    }

    @Test
    public void whenTimeRunsOutTheFirstUntriedMessageIsWhereTheNextCallResumes() {
        String p = "/timeout-" + System.nanoTime();
        String su = env.stream(LocalPipeline.SERVICE_UNAVAILABLE);
        List<Long> offsets = put(LocalPipeline.SERVICE_UNAVAILABLE, env.target().baseUrl() + p,
                "t0", "t1", "t2", "t3", "t4");
        int unrecBefore = env.readAll(LocalPipeline.UNRECOVERABLE).size();
        int suBefore = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();

        // the function's time runs out while the first call is under way
        AdjustableClock clock = new AdjustableClock();
        Deadline deadline = new Deadline(clock.instant().plusSeconds(30), clock);
        env.target().onRequest(r -> {
            if (r.path().equals(p)) {
                clock.advance(Duration.ofMinutes(5));
            }
        });
        RetryResponse first;
        try {
            first = service.retry(new RetryRequest(su, 5, offsets.get(0) - 1, "0", seedMapping()), deadline);
        } finally {
            env.target().onRequest(null);
        }
        assertEquals(1, first.processedmessages());
        assertEquals("never-tried messages are not failures", 0, first.failedMessages());
        assertEquals(offsets.get(0).longValue(), first.lastReadOffset());
        assertFalse(first.endOfStream());
        assertEquals(1, env.target().received(p).size());
        assertEquals("nothing routed to unexpectedError (= unrecoverable)", unrecBefore,
                env.readAll(LocalPipeline.UNRECOVERABLE).size());
        assertEquals(suBefore, env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size());

        // the next call resumes at the first message not tried
        RetryResponse next = service.retry(new RetryRequest(su, 5, first.lastReadOffset(), "0", seedMapping()),
                Deadline.in(Duration.ofSeconds(20)));
        assertEquals(4, next.processedmessages());
        assertEquals(offsets.get(4).longValue(), next.lastReadOffset());
        assertTrue(next.endOfStream());
        List<String> ids = new ArrayList<>(env.target().received(p).stream()
                .map(r -> r.header("Idempotency-Key")).toList());
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), ids);
    }

    /** The real SDK client, recording into {@code events} how many messages each GetMessages returned. */
    private static Stream recording(List<String> events) {
        Stream real = env.streams();
        return (Stream) Proxy.newProxyInstance(Stream.class.getClassLoader(), new Class<?>[]{Stream.class},
                (proxy, method, args) -> {
                    Object out;
                    try {
                        out = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (out instanceof GetMessagesResponse r && !r.getItems().isEmpty()) {
                        events.add("read " + r.getItems().size());
                    }
                    return out;
                });
    }

    @Test
    public void eachPageIsDeliveredBeforeTheNextIsRead() {
        String p = "/paged-" + System.nanoTime();
        String[] ids = new String[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "pg" + i;
        }
        List<Long> offsets = put(LocalPipeline.INTERNAL_SERVER, env.target().baseUrl() + p, ids);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        RetryService paged = new RetryService(new OciErrorStreamReader(new PartitionReader(recording(events))), stack.pipeline(),
                stack.defaultRoutes(), retry.claims(), JsonLog.to(logLines::add, Clock.systemUTC()));
        env.target().onRequest(r -> {
            if (r.path().equals(p)) {
                events.add("deliver " + r.header("Idempotency-Key"));
            }
        });
        RetryResponse r;
        try {
            r = paged.retry(new RetryRequest(env.stream(LocalPipeline.INTERNAL_SERVER), 40, offsets.get(0) - 1, "0",
                    List.of()), Deadline.in(Duration.ofSeconds(20)));
        } finally {
            env.target().onRequest(null);
        }
        assertEquals(40, r.processedmessages());
        assertEquals(offsets.get(39).longValue(), r.lastReadOffset());
        assertTrue(r.endOfStream());
        // pages: the first is small, and every delivery of a page comes before the next page is read
        List<String> reads = events.stream().filter(e -> e.startsWith("read")).toList();
        assertTrue(events.toString(), reads.size() >= 2);
        assertEquals("read " + PartitionReader.FIRST_PAGE_LIMIT, reads.get(0));
        int secondRead = events.indexOf(reads.get(1));
        long deliveredBefore = events.subList(0, secondRead).stream().filter(e -> e.startsWith("deliver")).count();
        assertEquals(events.toString(), PartitionReader.FIRST_PAGE_LIMIT, deliveredBefore);
    }

    @Test
    public void aPageThatCannotBeReadAfterOthersWereSettledAnswersWhatWasDone() {
        String p = "/paged-fail-" + System.nanoTime();
        String[] ids = new String[30];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "pf" + i;
        }
        List<Long> offsets = put(LocalPipeline.INTERNAL_SERVER, env.target().baseUrl() + p, ids);
        // once the first page is being delivered, Streaming stops answering GetMessages (404: not retried by the SDK)
        env.target().onRequest(r -> env.oci().faults().set("GetMessages", FaultRule.failing(1.0, 404)));
        RetryResponse r;
        try {
            r = service.retry(new RetryRequest(env.stream(LocalPipeline.INTERNAL_SERVER), 30, offsets.get(0) - 1,
                    "0", List.of()), Deadline.in(Duration.ofSeconds(20)));
        } finally {
            env.target().onRequest(null);
            env.oci().faults().clear();
        }
        assertEquals(PartitionReader.FIRST_PAGE_LIMIT, r.processedmessages());
        assertEquals(offsets.get(PartitionReader.FIRST_PAGE_LIMIT - 1).longValue(), r.lastReadOffset());
        assertFalse(r.endOfStream());
    }

    @Test
    public void networkFailuresGoToTheApplicationsRouteNotToUnexpectedError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String dflt = env.stream(LocalPipeline.DEFAULT);
        List<Long> offsets = put(LocalPipeline.DEFAULT, "http://127.0.0.1:" + closed + "/down", "n0", "n1");
        int unrecBefore = env.readAll(LocalPipeline.UNRECOVERABLE).size();
        int suBefore = env.readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();
        int internalBefore = env.readAll(LocalPipeline.INTERNAL_SERVER).size();

        RetryResponse r = service.retry(new RetryRequest(dflt, 1, offsets.get(0) - 1, "0", seedMapping()),
                Deadline.in(Duration.ofSeconds(20)));
        assertEquals(1, r.failedMessages());
        assertEquals(unrecBefore, env.readAll(LocalPipeline.UNRECOVERABLE).size());
        List<Message> su = tail(LocalPipeline.SERVICE_UNAVAILABLE, suBefore);
        assertEquals(1, su.size()); // error_routing: network → serviceUnavailable
        JsonNode env0 = Json.parse(su.get(0).getValue());
        assertEquals("n0", env0.get("syncId").asText());
        assertEquals("network", env0.get("lastError").get("kind").asText());

        // an explicit network entry in the request wins
        List<ErrorMapping> explicit = new ArrayList<>(seedMapping());
        explicit.add(new ErrorMapping("network", env.stream(LocalPipeline.INTERNAL_SERVER)));
        service.retry(new RetryRequest(dflt, 1, offsets.get(0), "0", explicit), Deadline.in(Duration.ofSeconds(20)));
        List<Message> internal = tail(LocalPipeline.INTERNAL_SERVER, internalBefore);
        assertEquals(1, internal.size());
        assertEquals("n1", Json.parse(internal.get(0).getValue()).get("syncId").asText());
        assertEquals(unrecBefore, env.readAll(LocalPipeline.UNRECOVERABLE).size());
    }
}
