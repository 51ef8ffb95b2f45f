package dev.datasync.retry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fnproject.fn.testing.FnResult;
import com.fnproject.fn.testing.FnTestingRule;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.testing.FnTestingRules;
import dev.datasync.shared.testing.LocalPipeline;
import dev.datasync.shared.testing.LocalPipelineRule;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.datasync.retry.RetryBodies.mapping;
import static dev.datasync.retry.RetryBodies.request;
import static dev.datasync.retry.RetryBodies.route;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * RetryFunction's contract through the FDK (FnTestingRule, API Gateway headers), with the real SDK against
 * local-oci and a real local target. Includes the regression tests for the reference's Retry defects.
 */
public class RetryFunctionTest {

    @ClassRule
    public static final LocalPipelineRule ENV = new LocalPipelineRule();

    @Rule
    public final FnTestingRule fn = FnTestingRules.against(env());

    private static LocalPipeline env() {
        return ENV.pipeline();
    }

    private static List<Long> put(String stream, String... targetsAndIds) {
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < targetsAndIds.length; i += 2) {
            keys.add(null);
            values.add(RetryBodies.routedEnvelope(targetsAndIds[i], targetsAndIds[i + 1]));
        }
        return env().put(stream, keys, values);
    }

    private static String url(String path) {
        return env().target().baseUrl() + path;
    }

    private void enqueue(String method, String body) {
        FnTestingRules.enqueue(fn, FnHttpGateway.request(method, "/stream/retry",
                Map.of("Content-Type", "application/json")), body);
    }

    private FnResult call(String body) {
        enqueue("POST", body);
        fn.thenRun(RetryFunction.class, "handleRequest");
        List<FnResult> all = fn.getResults(); // results accumulate over thenRun calls of one test
        return all.get(all.size() - 1);
    }

    private static int status(FnResult r) {
        return FnHttpGateway.status(r);
    }

    private static JsonNode json(FnResult r) throws Exception {
        return Json.parse(r.getBodyAsBytes());
    }

    private static String sid() {
        return "s" + System.nanoTime();
    }

    @Test
    public void invalidRequestsAnswer400NamingTheFieldAndTouchNothing() throws Exception {
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        String[][] cases = {
                {"{not json", null},
                {"""
                        {"noOfMessagesToProcess":1,"readAfterOffset":-1,"readPartition":"0"}""", "streamOCIDToRetry"},
                {request(env().stream(LocalPipeline.DATA), 1, -1, null), "streamOCIDToRetry"},
                {request("ocid1.stream.oc1..someoneelse", 1, -1, null), "streamOCIDToRetry"},
                {request(su, 0, -1, null), "noOfMessagesToProcess"},
                {request(su, 10001, -1, null), "noOfMessagesToProcess"},
                {request(su, 1, -2, null), "readAfterOffset"},
                {"""
                        {"streamOCIDToRetry":"%s","noOfMessagesToProcess":1,"readAfterOffset":"abc",\
                        "readPartition":"0"}""".formatted(su), "readAfterOffset"},
                {"""
                        {"streamOCIDToRetry":"%s","noOfMessagesToProcess":1,"readAfterOffset":1,\
                        "readPartition":"zero"}""".formatted(su), "readPartition"},
                {request(su, 1, -1, mapping(route("oops", su))), "errormapping[0].responsecode"},
                {request(su, 1, -1, mapping(route("404", "ocid1.stream.oc1..elsewhere"))), "errormapping[0].stream"},
                // an unknown field does not excuse a missing known one
                {"""
                        {"streamOCIDToRetry":"%s","noOfMessagesToProcess":1,"readPartition":"0",\
                        "readafteroffset":3}""".formatted(su), "readAfterOffset"},
        };
        for (String[] c : cases) {
            enqueue("POST", c[0]);
        }
        int before = env().readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();
        fn.thenRun(RetryFunction.class, "handleRequest");
        List<FnResult> results = fn.getResults();
        for (int i = 0; i < cases.length; i++) {
            FnResult r = results.get(i);
            assertEquals(cases[i][0], 400, status(r));
            JsonNode body = json(r);
            assertTrue(body.has("code") && body.has("message"));
            if (cases[i][1] == null) {
                assertTrue(body.get("field").isNull());
            } else {
                assertEquals(cases[i][0], cases[i][1], body.get("field").asText());
            }
        }
        assertEquals(before, env().readAll(LocalPipeline.SERVICE_UNAVAILABLE).size());
    }

    @Test
    public void onlyPostIsAccepted() throws Exception {
        enqueue("GET", "");
        fn.thenRun(RetryFunction.class, "handleRequest");
        assertEquals(405, status(fn.getOnlyResult()));
    }

    @Test
    public void processesExactlyNMessagesNotNPlusOneAndContinuesFromLastReadOffset() throws Exception {
        String p = "/exact-" + System.nanoTime();
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        List<Long> offsets = put(LocalPipeline.SERVICE_UNAVAILABLE, url(p), "e0", url(p), "e1", url(p), "e2",
                url(p), "e3", url(p), "e4");
        long first = offsets.get(0);

        enqueue("POST", request(su, 3, first - 1, null));
        enqueue("POST", request(su, 3, first + 2, null));
        fn.thenRun(RetryFunction.class, "handleRequest");
        JsonNode one = json(fn.getResults().get(0));
        JsonNode two = json(fn.getResults().get(1));

        assertEquals(first + 2, one.get("lastReadOffset").asLong());
        assertEquals(3, one.get("processedmessages").asInt());
        assertEquals(0, one.get("failedMessages").asInt());
        assertFalse(one.get("endOfStream").asBoolean());
        assertEquals(first + 4, two.get("lastReadOffset").asLong());
        assertEquals(2, two.get("processedmessages").asInt());
        assertTrue(two.get("endOfStream").asBoolean());
        // keyless messages are delivered concurrently: the set, each exactly once
        List<String> keys = new ArrayList<>(env().target().received(p).stream().map(r -> r.header("Idempotency-Key"))
                .toList());
        Collections.sort(keys);
        assertEquals(List.of("e0", "e1", "e2", "e3", "e4"), keys);
    }

    @Test
    public void failuresRouteByErrormappingThenUnexpectedErrorThenTheApplicationDefault() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        fn.setConfig("delivery_max_attempts", "1");
        String p = "/route-" + System.nanoTime();
        env().target().byDefault(p + "/404", Reply.status(404));
        env().target().byDefault(p + "/500", Reply.status(500));
        env().target().byDefault(p + "/ok", Reply.status(200));
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        String dflt = env().stream(LocalPipeline.DEFAULT);
        String unrec = env().stream(LocalPipeline.UNRECOVERABLE);
        List<Long> a = put(LocalPipeline.SERVICE_UNAVAILABLE, url(p + "/404"), "r1", url(p + "/500"), "r2",
                "http://127.0.0.1:" + closed + "/down", "r3", url(p + "/ok"), "r4");
        List<Long> b = put(LocalPipeline.SERVICE_UNAVAILABLE, url(p + "/404"), "r5", url(p + "/500"), "r6");
        int defaultBefore = env().readAll(LocalPipeline.DEFAULT).size();
        int unrecBefore = env().readAll(LocalPipeline.UNRECOVERABLE).size();
        int internalBefore = env().readAll(LocalPipeline.INTERNAL_SERVER).size();

        enqueue("POST", request(su, 4, a.get(0) - 1, mapping(route("404", dflt), route("unexpectedError", unrec))));
        // the reference crashed after partial work when unexpectedError was missing
        enqueue("POST", request(su, 2, b.get(0) - 1, mapping(route("404", dflt))));
        fn.thenRun(RetryFunction.class, "handleRequest");

        JsonNode one = json(fn.getResults().get(0));
        assertEquals(200, status(fn.getResults().get(0)));
        assertEquals(1, one.get("processedmessages").asInt()); // delivered only
        assertEquals(3, one.get("failedMessages").asInt());
        JsonNode two = json(fn.getResults().get(1));
        assertEquals(200, status(fn.getResults().get(1)));
        assertEquals(0, two.get("processedmessages").asInt());
        assertEquals(2, two.get("failedMessages").asInt());

        List<Message> toDefault = tail(LocalPipeline.DEFAULT, defaultBefore);
        List<Message> toUnrec = tail(LocalPipeline.UNRECOVERABLE, unrecBefore);
        List<Message> toInternal = tail(LocalPipeline.INTERNAL_SERVER, internalBefore);
        assertEquals(List.of("r1", "r5"), syncIds(toDefault));
        // 500 → unexpectedError; the network failure (r3) is recoverable: not unexpectedError (the seed's
        // unrecoverable stream) but the application's network route, ServiceUnavailable — the retried stream
        // itself, so it is left in place
        assertEquals(List.of("r2"), syncIds(toUnrec));
        assertEquals(1, one.get("leftInPlaceMessages").asInt());
        assertEquals(List.of("r6"), syncIds(toInternal)); // 500 with no unexpectedError → application routing
        JsonNode replayed = Json.parse(toDefault.get(0).getValue());
        assertEquals(5, replayed.get("deliveryAttempts").asInt()); // 4 before + 1 now
        assertEquals(su, replayed.get("source").get("stream").asText());
        assertEquals(a.get(0).longValue(), replayed.get("source").get("offset").asLong());
    }

    @Test
    public void loopingUntilEndOfStreamEndsWhileTheTargetIsDown() throws Exception {
        fn.setConfig("delivery_max_attempts", "1");
        String p = "/down-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(503));
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        List<Long> offsets = put(LocalPipeline.SERVICE_UNAVAILABLE, url(p), "d0", url(p), "d1", url(p), "d2",
                url(p), "d3", url(p), "d4");
        int size = env().readAll(LocalPipeline.SERVICE_UNAVAILABLE).size();
        String mapping = mapping(route("503", su));

        long after = offsets.get(0) - 1;
        int calls = 0;
        int failed = 0;
        boolean end = false;
        while (!end) {
            assertTrue("the loop must end", ++calls <= 3);
            FnResult r = call(request(su, 2, after, mapping));
            assertEquals(200, status(r));
            JsonNode body = json(r);
            after = body.get("lastReadOffset").asLong();
            failed += body.get("failedMessages").asInt();
            assertEquals(0, body.get("processedmessages").asInt());
            end = body.get("endOfStream").asBoolean();
        }
        assertEquals(3, calls);
        assertEquals(5, failed);
        assertEquals(offsets.get(4).longValue(), after);
        // failures whose route is the retried stream stay at their offsets: nothing appended, nothing lost
        assertEquals(size, env().readAll(LocalPipeline.SERVICE_UNAVAILABLE).size());
    }

    @Test
    public void messagesAppendedDuringTheCallAreNotReadAndEndOfStreamMeansTheTipAtCallStart() throws Exception {
        String p = "/tip-" + System.nanoTime();
        String later = "/tip-later-" + System.nanoTime();
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        List<Long> offsets = put(LocalPipeline.SERVICE_UNAVAILABLE, url(p), "t0", url(p), "t1");
        AtomicBoolean appended = new AtomicBoolean();
        List<Long> late = Collections.synchronizedList(new ArrayList<>());
        env().target().onRequest(r -> {
            if (r.path().equals(p) && appended.compareAndSet(false, true)) {
                late.addAll(put(LocalPipeline.SERVICE_UNAVAILABLE, url(later), "t2", url(later), "t3"));
            }
        });
        try {
            FnResult r = call(request(su, 10, offsets.get(0) - 1, null));
            JsonNode body = json(r);
            assertEquals(2, body.get("processedmessages").asInt());
            assertEquals(offsets.get(1).longValue(), body.get("lastReadOffset").asLong());
            assertTrue(body.get("endOfStream").asBoolean());
            assertTrue(env().target().received(later).isEmpty());
            assertEquals(2, late.size());
        } finally {
            env().target().onRequest(null);
        }
        JsonNode next = json(call(request(su, 10, offsets.get(1), null)));
        assertEquals(2, next.get("processedmessages").asInt());
        assertEquals(late.get(1).longValue(), next.get("lastReadOffset").asLong());
        assertTrue(next.get("endOfStream").asBoolean());
    }

    @Test
    public void readAfterOffsetIsALongNotA32BitInt() throws Exception {
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        FnResult r = call(request(su, 5, 5_000_000_000L, null));
        assertEquals(200, status(r));
        JsonNode body = json(r);
        assertEquals(5_000_000_000L, body.get("lastReadOffset").asLong());
        assertEquals(0, body.get("processedmessages").asInt());
        assertTrue(body.get("endOfStream").asBoolean());
    }

    @Test
    public void unknownRequestFieldsAreIgnoredAndNotLogged() throws Exception {
        // the public contract may gain optional fields: a client sending one keeps working
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        String body = """
                {"streamOCIDToRetry":"%s","noOfMessagesToProcess":1,"readAfterOffset":5000000000,"readPartition":"0",\
                "fieldFromTheFuture":"fut-value-42",\
                "errormapping":[{"responsecode":"404","stream":"%s","weight":"fut-weight-43"}]}""".formatted(su, env().stream(LocalPipeline.DEFAULT));
        FnResult r = call(body);
        assertEquals(r.getBodyAsString(), 200, status(r));
        String logs = fn.getStdErrAsString(); // JsonLog writes to stderr
        assertTrue("the call was logged", logs.contains("retry.done"));
        for (String s : List.of("fieldFromTheFuture", "fut-value-42", "weight", "fut-weight-43")) {
            assertFalse(s + " reached the log", logs.contains(s));
        }
    }

    @Test
    public void theSeedRequestShapeIsAccepted() throws Exception {
        // docs/examples/retry-request.json with this environment's OCIDs
        String su = env().stream(LocalPipeline.SERVICE_UNAVAILABLE);
        String body = request(su, 5, -1, mapping(route("404", env().stream(LocalPipeline.DEFAULT)), route("503", su),
                route("unexpectedError", env().stream(LocalPipeline.UNRECOVERABLE))));
        FnResult r = call(body);
        assertEquals(200, status(r));
        JsonNode out = json(r);
        for (String f : List.of("lastReadOffset", "processedmessages", "failedMessages", "endOfStream")) {
            assertTrue(f, out.has(f));
        }
        assertTrue(FnHttpGateway.responseHeader(r, "Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    public void invokedWithModeRedriveItRunsOneRedrivePassAndAnswersItsTotals() throws Exception {
        String p = "/redrive-mode-" + System.nanoTime();
        env().target().byDefault(p, Reply.status(204));
        String syncId = sid();
        put(LocalPipeline.SERVICE_UNAVAILABLE, url(p), syncId);

        // as the alarm's notification or the local stack's timer invoke it: no API Gateway in between
        fn.givenEvent().withHeader("Content-Type", "application/json").withBody("{\"mode\":\"redrive\"}")
                .enqueue();
        fn.thenRun(RetryFunction.class, "handleRequest");
        FnResult r = fn.getOnlyResult();

        assertEquals(r.getBodyAsString(), 200, status(r));
        JsonNode out = json(r);
        assertEquals("redrive", out.get("mode").asText());
        assertEquals(3, out.get("streams").size());
        JsonNode su = null;
        for (JsonNode t : out.get("streams")) {
            for (String f : List.of("read", "delivered", "reappended", "deadLettered", "pending")) {
                assertTrue(f, t.get(f).isInt());
            }
            if (t.get("stream").asText().equals(LocalPipeline.SERVICE_UNAVAILABLE)) {
                su = t;
            }
        }
        assertTrue(out.toString(), su != null && su.get("read").asInt() >= 1 && su.get("delivered").asInt() >= 1);
        assertEquals("reachedTip", su.get("outcome").asText());
        List<ScriptedTarget.Received> calls = env().target().received(p);
        assertEquals(1, calls.size());
        assertEquals(syncId, calls.get(0).header("Idempotency-Key"));
    }

    private static List<Message> tail(String stream, int from) {
        List<Message> all = env().readAll(stream);
        return all.subList(from, all.size());
    }

    private static List<String> syncIds(List<Message> ms) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message m : ms) {
            ids.add(Json.parse(m.getValue()).get("syncId").asText());
        }
        return ids;
    }
}
