package dev.datasync.shared.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.testing.TestConfigs;
import dev.datasync.shared.delivery.BatchDelivery;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Engines;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.delivery.TargetCheck;
import dev.datasync.shared.delivery.TargetControls;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The SSRF guard applied again at delivery: a host that does not resolve now is a transient network failure
 * (routed with kind {@code network} to a replayable stream), while a host no longer on the allow-list can never
 * succeed (kind {@code invalid}, unrecoverable). Real engine, guard and router; DNS scripted (no test depends on the
 * machine's resolver) and the error streams captured in memory.
 */
public class TargetRecheckRoutingTest {

    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final List<RoutedMessage> placed = new CopyOnWriteArrayList<>();
    private DataSyncConfig config;
    private BatchDelivery delivery;
    private BatchPipeline pipeline;

    @Before
    public void setUp() {
        // the allow-list now names orders.example.com and *.example.org; neither name resolves at the moment
        config = DataSyncConfig.from(TestConfigs.with("target_allowlist", "orders.example.com,*.example.org"));
        TargetGuard guard = new TargetGuard(config.targets(), host -> {
            lookups.add(host);
            throw new UnknownHostException(host);
        });
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(line -> { }, clock);
        var s = config.delivery();
        delivery = Engines.build(s, TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log),
                name -> "Bearer unused", TargetCheck.of(guard), log);
        ErrorStreamRouter router = new ErrorStreamRouter((stream, messages) -> {
            placed.addAll(messages);
            List<String> ok = new ArrayList<>();
            messages.forEach(m -> ok.add(null));
            return ok;
        }, log);
        pipeline = new BatchPipeline(delivery, router, false, log);
    }

    @After
    public void tearDown() {
        delivery.close();
    }

    private static InboundMessage message(String target, String syncId, long offset) {
        return InboundMessage.decoded(null, ("{\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"18jan\"},\"syncId\":\"" + syncId + "\"}")
                .getBytes(StandardCharsets.UTF_8), new Source("DataSyncStream", "0", offset));
    }

    private RoutedMessage routedFor(String syncId) {
        return placed.stream().filter(m -> m.syncId().equals(syncId)).findFirst().orElseThrow();
    }

    @Test
    public void anUnresolvableAllowListedHostIsANetworkFailureRoutedForReplay() throws Exception {
        BatchReport report = pipeline.process(List.of(
                        message("https://orders.example.com/api", "s-exact", 1),
                        message("https://shop.example.org/api", "s-wildcard", 2)),
                Deadline.in(Duration.ofSeconds(10)), RouteSelector.of(config.errorRouting()), null);

        assertEquals(2, report.routed());
        for (String syncId : List.of("s-exact", "s-wildcard")) {
            RoutedMessage m = routedFor(syncId);
            assertEquals("network failures go to the service-unavailable stream by default", TestConfigs.UNAVAILABLE,
                    m.stream());
            JsonNode lastError = Json.parse(m.value()).get("lastError");
            assertEquals("network", lastError.get("kind").asText());
            assertTrue(lastError.get("reason").asText(), lastError.get("reason").asText().contains("does not resolve"));
        }
        report.outcomes().forEach(o -> assertTrue("recoverable", o.failure().transientFailure()));
    }

    @Test
    public void aHostNoLongerOnTheAllowListStaysInvalidAndIsNotLookedUp() throws Exception {
        BatchReport report = pipeline.process(List.of(message("https://orders.example.net/api", "s-gone", 3)),
                Deadline.in(Duration.ofSeconds(10)), RouteSelector.of(config.errorRouting()), null);

        assertEquals(1, report.routed());
        RoutedMessage m = routedFor("s-gone");
        assertEquals(TestConfigs.UNRECOVERABLE, m.stream());
        assertEquals("invalid", Json.parse(m.value()).get("lastError").get("kind").asText());
        assertFalse("not retryable", report.outcomes().get(0).failure().transientFailure());
        assertFalse(lookups.contains("orders.example.net"));
    }

    @Test
    public void theApplicationsNetworkRouteIsHonoured() throws Exception {
        Map<String, String> m = TestConfigs.with("target_allowlist", "orders.example.com");
        m.put("error_routing", "network=ocid1.stream.oc1.iad.dns");
        config = DataSyncConfig.from(m);
        pipeline.process(List.of(message("https://orders.example.com/api", "s-routed", 4)),
                Deadline.in(Duration.ofSeconds(10)), RouteSelector.of(config.errorRouting()), null);
        assertEquals("ocid1.stream.oc1.iad.dns", routedFor("s-routed").stream());
    }
}
