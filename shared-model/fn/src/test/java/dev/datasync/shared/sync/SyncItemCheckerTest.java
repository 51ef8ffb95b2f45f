package dev.datasync.shared.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.oci.SourceRules;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** What each way of supplying the token asks of an item's vaultSecretName; a syncId is taken only by a ready item. */
public class SyncItemCheckerTest {

    private static final DataSyncConfig CONFIG = DataSyncConfig.from(TestConfigs.forScriptedTarget());
    private static final SyncItemChecker CHECKER = new SyncItemChecker(CONFIG, new TargetGuard(CONFIG.targets()),
            Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC));
    private static final Supplier<SourceRules> RULES = () -> new SourceRules("orders-app", null, 10, true);

    private static JsonNode item(String secretName) {
        try {
        return Json.mapper().readTree(("{\"streamKey\":\"k1\",\"streamMessage\":{" + (secretName == null ? ""
                : "\"vaultSecretName\":\"" + secretName + "\",") + "\"targetRestApi\":\"http://127.0.0.1:9/api\","
                + "\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"a\":1}}}"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void aLineOfABulkFileMayNameAStoredSecretWithoutAToken() {
        CheckedItem checked = CHECKER.check(item("orders-token"), TokenSupply.STORED, "orders-app", RULES,
                () -> "sync-1");
        CheckedItem.Ready ready = (CheckedItem.Ready) checked;
        assertEquals("src.orders-app.orders-token", ready.vaultName());
        assertEquals("sync-1", ready.stored().syncId());
        assertEquals("orders-app", ready.stored().sourceId());
        assertEquals("k1", ready.key());
    }

    @Test
    public void aBulkLineWithoutASecretNeedsNone() {
        CheckedItem.Ready ready = (CheckedItem.Ready) CHECKER.check(item(null), TokenSupply.STORED, "orders-app",
                RULES, () -> "sync-2");
        assertNull(ready.vaultName());
    }

    @Test
    public void aSyncRequestNamingASecretWithoutItsTokenIsRefused() {
        CheckedItem.Rejected r = (CheckedItem.Rejected) CHECKER.check(item("orders-token"), TokenSupply.NONE,
                "orders-app", RULES, () -> "unused");
        assertEquals(401, r.status());
        assertEquals(ErrorCodes.MISSING_AUTHORIZATION, r.error().code());
    }

    @Test
    public void aTokenWithoutANameIsRefusedAndARejectedItemTakesNoSyncId() {
        AtomicInteger taken = new AtomicInteger();
        CheckedItem.Rejected r = (CheckedItem.Rejected) CHECKER.check(item(null), TokenSupply.WITH_REQUEST,
                "orders-app", RULES, () -> "sync-" + taken.incrementAndGet());
        assertEquals(400, r.status());
        assertEquals(ErrorCodes.MISSING_FIELD, r.error().code());
        assertEquals(0, taken.get());
        assertTrue(CHECKER.check(item("n"), TokenSupply.WITH_REQUEST, "orders-app", RULES,
                () -> "sync-" + taken.incrementAndGet()) instanceof CheckedItem.Ready);
        assertEquals(1, taken.get());
    }

    /** The checker's clock is 2026-01-02T03:04:05.678Z; max_delivery_delay is half of redrive_max_age (12 h). */
    @Test
    public void aDeliverAfterBeyondMaxDeliveryDelayIsRefusedNamingTheField() throws Exception {
        JsonNode far = Json.mapper().readTree("{\"streamKey\":\"k1\",\"streamMessage\":{\"targetRestApi\":"
                + "\"http://127.0.0.1:9/api\",\"targetRestApiOperation\":\"POST\","
                + "\"deliverAfter\":\"2026-01-02T15:04:06Z\"}}");
        CheckedItem.Rejected r = (CheckedItem.Rejected) CHECKER.check(far, TokenSupply.STORED, "orders-app", RULES,
                () -> "unused");
        assertEquals(400, r.status());
        assertEquals("streamMessage.deliverAfter", r.error().field());
        JsonNode within = Json.mapper().readTree(far.toString().replace("15:04:06Z", "15:04:05Z"));
        assertTrue(CHECKER.check(within, TokenSupply.STORED, "orders-app", RULES, () -> "sync-3")
                instanceof CheckedItem.Ready);
    }

    /** The callbackUrl is admitted like a target: the source's allow-list decides it too. */
    @Test
    public void aCallbackUrlOutsideTheSourcesAllowListIsRefusedNamingTheField() throws Exception {
        Supplier<SourceRules> narrow = () -> new SourceRules("orders-app",
                CONFIG.targets().withEntries(java.util.List.of("127.0.0.1:9"), "allow"), 10, true);
        JsonNode outside = Json.mapper().readTree("{\"streamKey\":\"k1\",\"streamMessage\":{\"targetRestApi\":"
                + "\"http://127.0.0.1:9/api\",\"targetRestApiOperation\":\"POST\","
                + "\"callbackUrl\":\"http://127.0.0.1:10/done\"}}");
        CheckedItem.Rejected r = (CheckedItem.Rejected) CHECKER.check(outside, TokenSupply.STORED, "orders-app",
                narrow, () -> "unused");
        assertEquals(400, r.status());
        assertEquals(ErrorCodes.TARGET_NOT_ALLOWED, r.error().code());
        assertEquals("streamMessage.callbackUrl", r.error().field());
        JsonNode inside = Json.mapper().readTree(outside.toString().replace(":10/done", ":9/done"));
        CheckedItem.Ready ready = (CheckedItem.Ready) CHECKER.check(inside, TokenSupply.STORED, "orders-app", narrow,
                () -> "sync-4");
        assertEquals("kept in the stored message", "http://127.0.0.1:9/done",
                ready.stored().toJson().get("callbackUrl").asText());
    }

    @Test
    public void aBulkLineAskingForFanOutIsRefusedNamingTargets() throws Exception {
        JsonNode fan = Json.mapper().readTree("{\"streamKey\":\"k1\",\"streamMessage\":{\"targets\":[{"
                + "\"targetRestApi\":\"http://127.0.0.1:9/api\",\"targetRestApiOperation\":\"POST\"}]}}");
        CheckedItem.Rejected r = (CheckedItem.Rejected) CHECKER.check(fan, TokenSupply.STORED, "orders-app", RULES,
                () -> "unused");
        assertEquals(400, r.status());
        assertEquals("streamMessage.targets", r.error().field());
    }
}
