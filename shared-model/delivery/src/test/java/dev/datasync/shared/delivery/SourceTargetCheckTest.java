package dev.datasync.shared.delivery;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.config.TargetAllowlist;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Issue 9: at send time a message's target is checked against its source's allow-list as well as the global one; a
 * source whose list cannot be read now is a transient failure (replayed later), never a pass.
 */
public class SourceTargetCheckTest {

    private final TargetGuard guard = new TargetGuard(DataSyncConfig.from(TestConfigs.with("target_allowlist",
            "orders.example.com,billing.example.com")).targets(),
            host -> List.of(InetAddress.getByName("93.184.216.34")));
    private final List<String> asked = new ArrayList<>();

    private TargetAllowlist ordersOnly(String sourceId) {
        asked.add(sourceId);
        return switch (sourceId) {
            case "orders-app" -> guard.allowlist().withEntries(List.of("orders.example.com"), "allowlist");
            case "broken" -> throw new SourceUnavailableException("the registry cannot be read", null);
            default -> null;
        };
    }

    @Test
    public void aMessageMayReachOnlyWhatItsSourceMay() {
        TargetCheck check = TargetCheck.of(guard, this::ordersOnly);
        URI orders = URI.create("https://orders.example.com/x");
        URI billing = URI.create("https://billing.example.com/x");
        assertTrue(check.clear(orders, "orders-app").isCleared());
        Failure refused = check.clear(billing, "orders-app").refusal();
        assertEquals(FailureKind.INVALID, refused.kind());
        assertTrue(refused.reason(), refused.reason().contains("source's allow-list"));
        // a source without a list of its own, and a message without a source: the global list alone
        assertTrue(check.clear(billing, "billing").isCleared());
        assertTrue(check.clear(billing, null).isCleared());
        assertEquals(List.of("orders-app", "orders-app", "billing"), asked);
    }

    @Test
    public void aSourceListThatCannotBeReadIsATransientFailure() {
        Failure f = TargetCheck.of(guard, this::ordersOnly).clear(URI.create("https://orders.example.com/x"),
                "broken").refusal();
        assertEquals(FailureKind.NETWORK, f.kind());
        assertTrue(f.transientFailure());
    }
}
