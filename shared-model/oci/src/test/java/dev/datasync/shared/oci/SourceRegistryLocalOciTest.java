package dev.datasync.shared.oci;

import com.oracle.bmc.objectstorage.ObjectStorage;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.StateStore;
import dev.datasync.shared.delivery.SourceUnavailableException;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.guard.Verdict;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalOciRule;
import dev.datasync.shared.testing.SourceObjects;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The source registry ({@code sources/<id>.json} in the state bucket) read through the real Object Storage SDK
 * client against local-oci: defaults for a source without an object, the source's allow-list inside the global one,
 * one read per source per 30 s, one GetNamespace per container, and failing closed.
 */
public class SourceRegistryLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients(new LocalOciRule(), config -> {
        config.put("target_allowlist", "orders.example.com,billing.example.com,*.corp.example");
        config.put("source_default_max_secrets", "7");
    });

    private final AdjustableClock clock = new AdjustableClock();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    /** A container's registry over the real client, counting calls by method. */
    private SourceRegistry registry(StateStore state) {
        ObjectStorage counted = ForwardingProxy.of(ObjectStorage.class, OCI.clients().objectStorage(),
                (method, args) -> calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet());
        DataSyncConfig c = OCI.config();
        return new SourceRegistry(() -> counted, state, c.targets(), c.sourceDefaults(), clock);
    }

    private SourceRegistry registry() {
        return registry(OCI.config().state());
    }

    private int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    private static Verdict check(SourceRules rules, String url) {
        TargetGuard guard = new TargetGuard(OCI.config().targets(),
                host -> List.of(InetAddress.getByName("93.184.216.34")));
        return guard.check(URI.create(url), rules.allowlist());
    }

    @Test
    public void aSourceWithoutAnObjectHasTheDefaults() {
        SourceRules rules = registry().rules("no-object-app");
        assertNull("the global list alone", rules.allowlist());
        assertEquals(7, rules.maxSecrets());
        assertFalse("no registry object: not a registered source", rules.registered());
        assertTrue(check(rules, "https://billing.example.com/x").allowed());
    }

    @Test
    public void aSourcesObjectNarrowsItsTargetsAndSetsItsCap() {
        SourceObjects.put(OCI.oci(), "orders-app", SourceObjects.policy("orders-app",
                List.of("orders.example.com", "*.corp.example", "evil.example.net"), 3));
        SourceRules rules = registry().rules("orders-app");
        assertEquals(3, rules.maxSecrets());
        assertTrue(rules.registered());
        assertTrue(check(rules, "https://orders.example.com/x").allowed());
        assertTrue(check(rules, "https://a.corp.example/x").allowed());
        assertEquals(Verdict.Outcome.NOT_ALLOWLISTED, check(rules, "https://billing.example.com/x").outcome());
        // listed by the source, not by the global list: still refused
        assertEquals(Verdict.Outcome.NOT_ALLOWLISTED, check(rules, "https://evil.example.net/x").outcome());

        SourceObjects.put(OCI.oci(), "no-cap-app", SourceObjects.policy("no-cap-app", List.of(), null));
        SourceRules noCap = registry().rules("no-cap-app");
        assertEquals(7, noCap.maxSecrets());
        assertNull(noCap.allowlist());
    }

    @Test
    public void rulesAreReadOncePerSourcePerThirtySecondsAndTheNamespaceOncePerContainer() {
        SourceObjects.put(OCI.oci(), "cached-app", SourceObjects.policy("cached-app", List.of("orders.example.com"),
                5));
        StateStore noNamespace = new StateStore(Optional.empty(), SourceObjects.STATE_BUCKET);
        SourceRegistry registry = registry(noNamespace);
        for (int i = 0; i < 20; i++) {
            assertEquals(5, registry.rules("cached-app").maxSecrets());
        }
        registry.rules("no-object-app");
        assertEquals(2, calls("getObject"));
        assertEquals(1, calls("getNamespace"));

        SourceObjects.put(OCI.oci(), "cached-app", SourceObjects.policy("cached-app", List.of(), 9));
        clock.advance(SourceRegistry.TTL.minusSeconds(1));
        assertEquals("a change applies within the time-to-live, not before", 5,
                registry.rules("cached-app").maxSecrets());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(9, registry.rules("cached-app").maxSecrets());
        assertEquals(3, calls("getObject"));
        assertEquals(1, calls("getNamespace"));
    }

    @Test
    public void anObjectThatIsNoValidPolicyFailsClosed() {
        SourceObjects.put(OCI.oci(), "bad-entry-app", SourceObjects.policy("bad-entry-app", List.of("host:99999"),
                null));
        SourceObjects.put(OCI.oci(), "other-id-app", SourceObjects.policy("someone-else", List.of(), null));
        SourceObjects.put(OCI.oci(), "not-json-app", "{not json");
        SourceObjects.put(OCI.oci(), "negative-app", SourceObjects.policy("negative-app", List.of(), -1));
        for (String id : List.of("bad-entry-app", "other-id-app", "not-json-app", "negative-app")) {
            unavailable(registry(), id);
        }
    }

    @Test
    public void aRegistryThatCannotBeReadFailsClosed() {
        unavailable(registry(new StateStore(Optional.empty(), "no-such-bucket")), "orders-app");
        OCI.oci().faults().set("GetObject", FaultRule.failing(1.0, 503));
        unavailable(registry(), "orders-app");
        OCI.oci().faults().clear();
        assertNull(registry().rules("recovered-app").allowlist());
    }

    private static void unavailable(SourceRegistry registry, String id) {
        try {
            registry.rules(id);
            fail(id + ": expected the registry to be unavailable");
        } catch (SourceUnavailableException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(id)
                    || expected.getMessage().contains("could not be read"));
        }
    }
}
