package dev.datasync.retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.fn.RetryStack;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.replay.ReplayMarks;
import dev.datasync.shared.retry.RetryService;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.testing.AtOnce;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.datasync.retry.RetryBodies.mapping;
import static dev.datasync.retry.RetryBodies.request;
import static dev.datasync.retry.RetryBodies.route;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Replays that do not resend, and one replay per partition at a time, through the real SDK against local-oci: the
 * partition's lease and marks are state objects in local-oci's {@code datasync-state} bucket, the target a real
 * local HTTP server. The single calls go through the FDK (FnTestingRule); the concurrent ones through five
 * RetryStacks — five containers, each with its own clients — since an FDK test rule runs one invocation at a time.
 * Each test uses its own error stream, so no test meets another's lease or marks.
 */
public class RetryFunctionReplayTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.against(env());

    private static LocalPipeline env() {
        return ENV.pipeline();
    }

    private static String url(String path) {
        return env().target().baseUrl() + path;
    }

    /** Appends {@code n} routed envelopes to {@code stream}; message i goes to {@code path(i)}, syncId prefix + i. */
    private static List<Long> put(String stream, String prefix, java.util.function.IntFunction<String> path, int n) {
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(null);
            values.add(RetryBodies.routedEnvelope(url(path.apply(i)), prefix + i));
        }
        return env().put(stream, keys, values);
    }

    private FnResult call(String body) {
        FnTestingRules.enqueue(fn, FnHttpGateway.request("POST", "/stream/retry",
                Map.of("Content-Type", "application/json")), body);
        fn.thenRun(RetryFunction.class, "handleRequest");
        List<FnResult> all = fn.getResults();
        return all.get(all.size() - 1);
    }

    private static JsonNode json(FnResult r) throws Exception {
        return Json.parse(r.getBodyAsBytes());
    }

    private static Map<String, Long> receivedTimes(String path) {
        return env().target().received(path).stream().collect(Collectors.groupingBy(
                r -> r.header("Idempotency-Key"), Collectors.counting()));
    }

    private static List<String> syncIdsAfter(String stream, int from) throws Exception {
        List<Message> all = env().readAll(stream);
        List<String> ids = new ArrayList<>();
        for (Message m : all.subList(from, all.size())) {
            ids.add(Json.parse(m.getValue()).get("syncId").asText());
        }
        return ids;
    }

    /** The marks object of partition 0 of {@code stream}, read through a container's state objects. */
    private static String storedMarks(String stream) {
        try (RetryStack reader = RetryStack.create(DataSyncConfig.from(env().config()), JsonLog.to(l -> { },
                Clock.systemUTC()))) {
            return new String(reader.stateObjects().read(ReplayMarks.objectName(stream, "0")).orElseThrow().body(),
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    public void aSecondReplayOfTheSameRangeSendsNothingAgain() throws Exception {
        fn.setConfig("delivery_max_attempts", "1");
        String p = "/again-" + System.nanoTime();
        env().target().byDefault(p + "/bad", Reply.status(404));
        String dflt = env().stream(LocalPipeline.DEFAULT);
        String internal = env().stream(LocalPipeline.INTERNAL_SERVER);
        List<Long> offsets = put(LocalPipeline.INTERNAL_SERVER, "a", i -> i == 3 ? p + "/bad" : p + "/ok", 6);
        int defaultBefore = env().readAll(LocalPipeline.DEFAULT).size();
        String body = request(internal, 6, offsets.get(0) - 1, mapping(route("404", dflt)));

        JsonNode first = json(call(body));
        assertEquals(5, first.get("processedmessages").asInt());
        assertEquals(1, first.get("routedMessages").asInt());
        assertEquals(0, first.get("alreadyDeliveredMessages").asInt());

        FnResult again = call(body);
        assertEquals(200, FnHttpGateway.status(again));
        JsonNode second = json(again);
        assertEquals(0, second.get("processedmessages").asInt());
        assertEquals(0, second.get("failedMessages").asInt());
        assertEquals(5, second.get("alreadyDeliveredMessages").asInt());
        assertEquals(1, second.get("alreadyMovedMessages").asInt());
        assertEquals(offsets.get(5).longValue(), second.get("lastReadOffset").asLong());
        assertTrue(second.get("endOfStream").asBoolean());

        assertEquals(5, env().target().received(p + "/ok").size());
        assertEquals(List.of("a3"), syncIdsAfter(LocalPipeline.DEFAULT, defaultBefore));
        // the marks are one small object in the state bucket
        String marks = storedMarks(internal);
        assertTrue(marks, marks.contains("\"moved\":\"" + offsets.get(3) + "\""));
    }

    @Test
    public void fiveConcurrentReplaysOfOneRangeDeliverEachGoodMessageOnceAndAppendEachFailureAtMostOnce()
            throws Exception {
        String p = "/five-" + System.nanoTime();
        env().target().byDefault(p + "/ok", Reply.status(200).delayed(30));
        env().target().byDefault(p + "/bad", Reply.status(404));
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        String dflt = env().stream(LocalPipeline.DEFAULT);
        List<Long> offsets = put(LocalPipeline.SERVICE_UNAVAILABLE, "f", i -> i % 3 == 1 ? p + "/bad" : p + "/ok", 30);
        int defaultBefore = env().readAll(LocalPipeline.DEFAULT).size();
        String body = request(su, 30, offsets.get(0) - 1, mapping(route("404", dflt)));
        Map<String, String> config = env().config();
        config.put("delivery_max_attempts", "1");
        List<RetryStack> containers = new ArrayList<>();
        List<RetryHandler> handlers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonLog log = JsonLog.to(line -> { }, Clock.systemUTC());
            RetryStack stack = RetryStack.create(DataSyncConfig.from(config), log);
            containers.add(stack);
            handlers.add(new RetryHandler(stack.requests(), stack.service(), stack.redrive(),
                    stack.delivery().metrics(), log));
        }
        List<Object> answers;
        try {
            answers = AtOnce.run(5, i -> handlers.get(i).handle("POST", body.getBytes(StandardCharsets.UTF_8),
                    Deadline.in(Duration.ofSeconds(30))));
        } finally {
            containers.forEach(RetryStack::close);
        }

        int replayed = 0;
        int processed = 0;
        for (Object a : answers) {
            GatewayAnswer answer = (GatewayAnswer) a;
            JsonNode out = Json.parse(answer.body());
            if (answer.status() == 409) {
                assertEquals("ReplayInProgress", out.get("code").asText());
                assertTrue(Long.parseLong(answer.headers().get("Retry-After")) >= 1);
            } else {
                assertEquals(answer.bodyText(), 200, answer.status());
                replayed++;
                processed += out.get("processedmessages").asInt();
            }
        }
        assertTrue("someone replayed", replayed >= 1);
        assertEquals(20, processed);
        Map<String, Long> times = receivedTimes(p + "/ok");
        assertEquals(20, times.size());
        assertTrue("each good message delivered exactly once: " + times,
                times.values().stream().allMatch(t -> t == 1));
        List<String> routed = syncIdsAfter(LocalPipeline.DEFAULT, defaultBefore);
        assertEquals("each failure appended at most once: " + routed, 10, routed.size());
        assertEquals(10, routed.stream().distinct().count());
    }

    @Test
    public void aCrashedReplaysLeaseKeepsOthersOutUntilItExpires() throws Exception {
        String p = "/crash-" + System.nanoTime();
        String dflt = env().stream(LocalPipeline.DEFAULT);
        List<Long> offsets = put(LocalPipeline.DEFAULT, "k", i -> p, 2);
        String body = request(dflt, 2, offsets.get(0) - 1, null);
        // a replay in another container takes the partition, then its container dies: no renewal, no release
        String lease = PartitionLease.objectName(dflt, "0");
        try (RetryStack crashed = RetryStack.create(DataSyncConfig.from(env().config()), JsonLog.to(l -> { },
                Clock.systemUTC()))) {
            crashed.claims().leases().acquire(dflt, "0", "replay-crashed", RetryService.LEASE_TTL);
        }

        FnResult busy = call(body);
        assertEquals(busy.getBodyAsString(), 409, FnHttpGateway.status(busy));
        assertEquals("ReplayInProgress", json(busy).get("code").asText());
        long retryAfter = Long.parseLong(FnHttpGateway.responseHeader(busy, "Retry-After").orElseThrow());
        long most = RetryService.LEASE_TTL.plus(PartitionLease.CLOCK_LEEWAY).toSeconds();
        assertTrue(Long.toString(retryAfter), retryAfter >= 1 && retryAfter <= most);
        assertTrue(env().target().received(p).isEmpty());

        // a minute later (without waiting for it: the lease object as it reads then, its expiry passed)
        try (RetryStack later = RetryStack.create(DataSyncConfig.from(env().config()), JsonLog.to(l -> { },
                Clock.systemUTC()))) {
            StateObject stored = later.stateObjects().read(lease).orElseThrow();
            String expired = new String(stored.body(), StandardCharsets.UTF_8).replaceFirst(
                    "\"expiresAt\":\"[^\"]+\"", "\"expiresAt\":\"" + Instant.now().minusSeconds(60) + "\"");
            later.stateObjects().replace(lease, expired.getBytes(StandardCharsets.UTF_8), stored.etag());
        }
        FnResult after = call(body);
        assertEquals(after.getBodyAsString(), 200, FnHttpGateway.status(after));
        assertEquals(2, json(after).get("processedmessages").asInt());
        String log = fn.getStdErrAsString();
        assertTrue(log, log.contains("replay.lease_taken_over") && log.contains("replay-crashed"));
    }

    @Test
    public void aStateStoreOutageIs503AndNothingIsProcessed() throws Exception {
        String p = "/outage-" + System.nanoTime();
        String unrec = env().stream(LocalPipeline.UNRECOVERABLE);
        List<Long> offsets = put(LocalPipeline.UNRECOVERABLE, "o", i -> p, 2);
        env().oci().faults().set("GetObject", FaultRule.failing(1.0, 503));
        env().oci().faults().set("PutObject", FaultRule.failing(1.0, 503));
        FnResult r;
        try {
            r = call(request(unrec, 2, offsets.get(0) - 1, null));
        } finally {
            env().oci().faults().clear();
        }
        assertEquals(r.getBodyAsString(), 503, FnHttpGateway.status(r));
        assertEquals("ServiceUnavailable", json(r).get("code").asText());
        assertTrue(FnHttpGateway.responseHeader(r, "Retry-After").isPresent());
        assertTrue(env().target().received(p).isEmpty());

        // once the store answers again, the same call replays them
        assertEquals(2, json(call(request(unrec, 2, offsets.get(0) - 1, null))).get("processedmessages").asInt());
    }
}
