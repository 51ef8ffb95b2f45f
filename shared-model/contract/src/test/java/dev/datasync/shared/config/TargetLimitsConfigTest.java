package dev.datasync.shared.config;

import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** {@code target_limits}, {@code target_limits_containers} and the {@code target_breaker_*} keys. */
public class TargetLimitsConfigTest {

    private static DataSyncConfig with(String key, String value) {
        return DataSyncConfig.from(TestConfigs.with(key, value));
    }

    @Test
    public void withoutTheKeysNoTargetIsCappedAndTheBreakerHasItsDefaults() {
        DataSyncConfig c = DataSyncConfig.from(TestConfigs.valid());
        assertTrue(c.targetLimits().caps().isEmpty());
        assertEquals(1, c.targetLimits().containers());
        assertTrue(c.targetLimits().perSecondFor("orders.example.com", 443).isEmpty());
        BreakerSettings b = c.breaker();
        assertEquals(Set.of("network", "timeout", "5xx"), b.failures());
        assertEquals(50, b.failureRatePercent());
        assertEquals(10, b.window());
        assertEquals(Duration.ofSeconds(30), b.open());
        assertEquals(3, b.probes());
        assertTrue(b.enabled());
        assertEquals(BreakerSettings.DEFAULT, b);
    }

    @Test
    public void entriesAreParsedAndEachContainerGetsItsShare() {
        Map<String, String> m = TestConfigs.with("target_limits",
                "orders.example.com=20/s, orders.example.com:8443=5/s,Billing.Example.com=120/min,[::1]:9000=7/s,"
                        + "10.0.3.7=1000/s");
        m.put("target_limits_containers", "4");
        TargetLimits limits = DataSyncConfig.from(m).targetLimits();
        assertEquals(5, limits.caps().size());
        assertEquals(OptionalDouble.of(5.0), limits.perSecondFor("orders.example.com", 443));
        assertEquals(OptionalDouble.of(5.0), limits.perSecondFor("ORDERS.example.com", 80));
        assertEquals("host:port beats host", OptionalDouble.of(1.25), limits.perSecondFor("orders.example.com", 8443));
        assertEquals(OptionalDouble.of(0.5), limits.perSecondFor("billing.example.com", 443));
        assertEquals(OptionalDouble.of(1.75), limits.perSecondFor("[::1]", 9000));
        assertTrue(limits.perSecondFor("[::1]", 9001).isEmpty());
        assertEquals(OptionalDouble.of(250.0), limits.perSecondFor("10.0.3.7", 443));
        assertTrue("no wildcard matching", limits.perSecondFor("api.orders.example.com", 443).isEmpty());
    }

    @Test
    public void anInvalidEntryIsRefusedNamingTheKeyAndTheEntry() {
        for (String entry : List.of("orders.example.com", "orders.example.com=20", "orders.example.com=20/h",
                "orders.example.com=0/s", "orders.example.com=-3/s", "orders.example.com=2.5/s",
                "=20/s", "*.example.com=20/s", "10.0.0.0/8=20/s", "https://orders.example.com=20/s",
                "orders.example.com/api=20/s", "orders.example.com:99999=20/s", "orders.example.com=9999999/s")) {
            ConfigException e = expectBadKey(TestConfigs.with("target_limits", "billing.example.com=5/s," + entry),
                    "target_limits");
            assertTrue(e.getMessage(), e.getMessage().startsWith("target_limits: '" + entry + "'"));
        }
        ConfigException twice = expectBadKey(TestConfigs.with("target_limits",
                "orders.example.com=20/s,ORDERS.example.com=30/s"), "target_limits");
        assertTrue(twice.getMessage(), twice.getMessage().contains("'ORDERS.example.com=30/s'"));
        expectBadKey(TestConfigs.with("target_limits", "orders.example.com=20/s,,b.example.com=1/s"), "target_limits");
        expectBadKey(TestConfigs.with("target_limits_containers", "0"), "target_limits_containers");
        expectBadKey(TestConfigs.with("target_limits_containers", "two"), "target_limits_containers");
    }

    @Test
    public void breakerKeysAreReadAndChecked() {
        Map<String, String> m = TestConfigs.with("target_breaker_failures", "timeout, 503,5XX,network");
        m.put("target_breaker_failure_rate", "100");
        m.put("target_breaker_window", "5");
        m.put("target_breaker_open_ms", "2000");
        m.put("target_breaker_probes", "1");
        BreakerSettings b = DataSyncConfig.from(m).breaker();
        assertEquals(List.of("timeout", "503", "5xx", "network"), List.copyOf(b.failures()));
        assertEquals(100, b.failureRatePercent());
        assertEquals(5, b.window());
        assertEquals(Duration.ofMillis(2000), b.open());
        assertEquals(1, b.probes());
        assertTrue(b.countsStatus(503));
        assertTrue(b.countsStatus(500));
        assertFalse(b.countsStatus(429));
        assertTrue(b.countsKind(FailureKind.TIMEOUT));
        assertFalse(b.countsKind(FailureKind.INVALID));

        BreakerSettings only429 = with("target_breaker_failures", "429").breaker();
        assertTrue(only429.countsStatus(429));
        assertFalse(only429.countsStatus(503));
        assertFalse(only429.countsKind(FailureKind.NETWORK));

        BreakerSettings off = with("target_breaker_failures", "none").breaker();
        assertFalse(off.enabled());
        assertFalse(off.countsStatus(500));

        expectBadKey(TestConfigs.with("target_breaker_failures", "4xx,sometimes"), "target_breaker_failures");
        expectBadKey(TestConfigs.with("target_breaker_failures", "200"), "target_breaker_failures");
        expectBadKey(TestConfigs.with("target_breaker_failures", "none,500"), "target_breaker_failures");
        expectBadKey(TestConfigs.with("target_breaker_failure_rate", "0"), "target_breaker_failure_rate");
        expectBadKey(TestConfigs.with("target_breaker_failure_rate", "101"), "target_breaker_failure_rate");
        expectBadKey(TestConfigs.with("target_breaker_window", "1"), "target_breaker_window");
        expectBadKey(TestConfigs.with("target_breaker_open_ms", "50"), "target_breaker_open_ms");
        expectBadKey(TestConfigs.with("target_breaker_probes", "0"), "target_breaker_probes");
    }

    @Test
    public void circuitOpenIsRoutedWithNetworkFailuresUnlessRoutedOtherwise() {
        ErrorRouting byDefault = DataSyncConfig.from(TestConfigs.valid()).errorRouting();
        assertEquals(TestConfigs.UNAVAILABLE, byDefault.streamFor(FailureKind.CIRCUIT_OPEN));
        ErrorRouting routed = with("error_routing", "circuitOpen=ocid1.stream.oc1..open").errorRouting();
        assertEquals("ocid1.stream.oc1..open", routed.streamFor(FailureKind.CIRCUIT_OPEN));
        assertEquals(TestConfigs.UNAVAILABLE, routed.streamFor(FailureKind.NETWORK));
    }

    private static ConfigException expectBadKey(Map<String, String> raw, String key) {
        try {
            DataSyncConfig.from(raw);
            fail("accepted a bad " + key + ": " + raw.get(key));
            return null;
        } catch (ConfigException e) {
            assertEquals(e.getMessage(), key, e.key());
            return e;
        }
    }
}
