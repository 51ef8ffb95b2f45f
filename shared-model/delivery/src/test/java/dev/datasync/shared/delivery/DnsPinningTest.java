package dev.datasync.shared.delivery;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Issue 9: the addresses the SSRF guard approved are the addresses the call connects to (DNS pinning). The guard's
 * resolver answers an allowed address first and the loopback address after that (a DNS-rebinding attacker): the
 * call must reach the approved address, every retry too, and a later message is refused — nothing ever reaches the
 * loopback address. Two real targets listen on the same port of 127.0.0.2 (approved) and 127.0.0.1 (the trap).
 */
public class DnsPinningTest {

    private static final String HOST = "rebind.example.com";

    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private ScriptedTarget approved;
    private ScriptedTarget trap;
    private BatchDelivery engine;

    @Before
    public void setUp() throws Exception {
        approved = ScriptedTarget.startAt(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        trap = ScriptedTarget.startAt(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), approved.port()));
        Map<String, String> m = TestConfigs.with("target_allowlist", HOST + ",127.0.0.2");
        m.put("allow_http_targets", "true");
        DataSyncConfig config = DataSyncConfig.from(m);
        TargetGuard guard = new TargetGuard(config.targets(), host -> {
            lookups.add(host);
            return List.of(InetAddress.getByName(lookups.size() == 1 ? "127.0.0.2" : "127.0.0.1"));
        });
        Clock clock = Clock.systemUTC();
        JsonLog log = JsonLog.to(logLines::add, clock);
        var s = Engines.settings(4, 3, 2000, 10, 50);
        engine = Engines.build(s, TargetControls.adaptive(s, config.targetLimits(), config.breaker(), clock, log),
                (source, name) -> "Bearer pinned-token", TargetCheck.of(guard), log);
    }

    @After
    public void tearDown() {
        engine.close();
        approved.close();
        trap.close();
    }

    private DeliveryOutcome deliver(String syncId) {
        DeliveryRequest r = new DeliveryRequest(syncId, URI.create("http://" + HOST + ":" + approved.port()
                + "/pinned"), "POST", "{}".getBytes(), List.of(), "789", "orders-app");
        return engine.deliverAll(List.of(DeliveryJob.deliver(null, new Source("DataSyncStream", "0", 1L), r)),
                Deadline.in(Duration.ofSeconds(10))).get(0);
    }

    @Test
    public void theCallAndItsRetriesGoToTheApprovedAddressAndALaterLoopbackAnswerIsRefused() {
        approved.script("/pinned", Reply.status(503), Reply.status(200));

        DeliveryOutcome first = deliver("pin-1");

        assertTrue(String.valueOf(first.failure()), first.delivered());
        assertEquals("the retry went to the approved address too", 2, first.attempts());
        assertEquals("the guard looked the name up once; the client never did", List.of(HOST), lookups);
        List<ScriptedTarget.Received> calls = approved.received("/pinned");
        assertEquals(2, calls.size());
        assertEquals("the Host header keeps the name", HOST + ":" + approved.port(), calls.get(0).header("Host"));
        assertEquals("Bearer pinned-token", calls.get(1).header("Authorization"));

        DeliveryOutcome second = deliver("pin-2");

        assertFalse(second.delivered());
        assertEquals(FailureKind.INVALID, second.failure().kind());
        assertEquals(0, second.attempts());
        assertTrue(second.failure().reason(), second.failure().reason().contains("loopback"));
        assertTrue("nothing reached the loopback address: " + trap.received(), trap.received().isEmpty());
        assertEquals(2, approved.received("/pinned").size());
        for (String line : logLines) {
            assertFalse(line, line.contains("pinned-token"));
        }
    }
}
