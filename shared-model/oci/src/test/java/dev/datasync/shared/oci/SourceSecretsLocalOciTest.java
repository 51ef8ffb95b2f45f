package dev.datasync.shared.oci;

import com.oracle.bmc.vault.Vaults;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.delivery.TokenUnavailableException;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalOciRule;
import dev.datasync.localoci.support.AdjustableClock;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Issue 9: each source's token secrets are its own — named per source, read per message's source, capped per
 * source — through the real Vaults/Secrets SDK clients against local-oci.
 */
public class SourceSecretsLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients();

    static OciClients clients;
    static VaultSettings settings;

    @BeforeClass
    public static void connect() {
        clients = OCI.clients();
        settings = OCI.config().vault();
    }

    static TokenVault container() {
        return new TokenVault(clients::vaults, clients::secrets, settings);
    }

    @Test
    public void twoSourcesEqualNamesAreTwoSecretsAndEachMessageReadsItsOwn() throws Exception {
        TokenVault vault = container();
        assertEquals(TokenVault.StoreOutcome.CREATED, vault.store(TokenSecretName.of("orders-app", "789"),
                "Bearer orders-token"));
        assertEquals(TokenVault.StoreOutcome.CREATED, vault.store(TokenSecretName.of("billing", "789"),
                "Bearer billing-token"));
        assertEquals(TokenVault.StoreOutcome.CREATED, vault.store(TokenSecretName.of(null, "789"),
                "Bearer legacy-token"));

        VaultTokens delivery = new VaultTokens(container());
        assertEquals("Bearer orders-token", delivery.token("orders-app", "789"));
        assertEquals("Bearer billing-token", delivery.token("billing", "789"));
        assertEquals("a message accepted before sources reads the legacy name", "Bearer legacy-token",
                delivery.token(null, "789"));
        try {
            delivery.token("third-app", "789");
            fail("another source's name is not this source's secret");
        } catch (TokenUnavailableException e) {
            assertTrue(e.permanent());
            assertFalse(e.getMessage(), e.getMessage().contains("orders-token")
                    || e.getMessage().contains("billing-token") || e.getMessage().contains("legacy-token"));
        }
    }

    @Test
    public void aMessageWithoutASourceCanNeverNameASourcesSecret() {
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store(TokenSecretName.of("orders-app", "abc"),
                "Bearer orders-abc"));
        try {
            new VaultTokens(container()).token(null, "src.orders-app.abc");
            fail("a source-less message named a source's secret");
        } catch (TokenUnavailableException e) {
            assertTrue(e.permanent());
        }
    }

    @Test
    public void namesAreValidVaultNamesAndTheSourceIsReadBack() {
        String longest = "n".repeat(TokenSecretName.longestNameFor("a".repeat(32)));
        String name = TokenSecretName.of("a".repeat(32), longest);
        assertEquals(TokenSecretName.MAX_LENGTH, name.length());
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store(name, "Bearer long-name"));
        assertEquals("a".repeat(32), TokenSecretName.sourceOf(name));
        assertEquals("orders-app", TokenSecretName.sourceOf("src.orders-app.x.y"));
        assertEquals(null, TokenSecretName.sourceOf("789"));
        assertEquals(null, TokenSecretName.sourceOf("src.Orders.x"));
        assertEquals(null, TokenSecretName.sourceOf("src.orders-app."));
        try {
            TokenSecretName.of("Not A Source", "x");
            fail("an invalid source id made a name");
        } catch (IllegalArgumentException expected) {
            // never a name outside a source's prefix
        }
    }

    @Test
    public void existsTellsWhetherAStoreWouldCreateASecret() {
        TokenVault vault = container();
        String name = TokenSecretName.of("exists-app", "n1");
        assertFalse(vault.exists(name));
        assertEquals(TokenVault.StoreOutcome.CREATED, vault.store(name, "Bearer exists"));
        assertTrue(vault.exists(name));
        assertTrue("another container finds it in Vault", container().exists(name));
    }

    @Test
    public void aTokenVaultRefusesAsTooLargeIsRefusedNotUnavailable() {
        String big = "Bearer " + "x".repeat(30 * 1024);
        assertFalse(TokenVault.fits(big));
        assertTrue(TokenVault.fits("x".repeat(TokenVault.MAX_TOKEN_BASE64_BYTES / 4 * 3)));
        assertFalse(TokenVault.fits("x".repeat(TokenVault.MAX_TOKEN_BASE64_BYTES / 4 * 3 + 1)));
        try {
            container().store(TokenSecretName.of("big-app", "big"), big);
            fail("local-oci refuses content over 25 KiB");
        } catch (TokenRefusedException e) {
            assertFalse(e.getMessage(), e.getMessage().contains("xxxx"));
        }
    }

    @Test
    public void theCapCountsEachSourcesLiveSecretsFromOneListingAndThisContainersCreations() {
        TokenVault vault = container();
        for (int i = 0; i < 3; i++) {
            vault.store(TokenSecretName.of("capped-app", "s" + i), "Bearer capped");
        }
        vault.store(TokenSecretName.of("other-app", "s0"), "Bearer other");
        AtomicInteger lists = new AtomicInteger();
        Vaults counted = ForwardingProxy.of(Vaults.class, clients.vaults(), (method, args) -> {
            if (method.equals("listSecrets")) {
                lists.incrementAndGet();
            }
        });
        AdjustableClock clock = new AdjustableClock();
        SecretQuota quota = new SecretQuota(() -> counted, settings, clock);

        assertTrue("creating nothing lists nothing", quota.reserve("capped-app", 0, 0).granted());
        assertEquals(0, lists.get());
        assertTrue(quota.reserve("capped-app", 2, 10).granted()); // 3 + 2 of 10
        assertEquals(1, lists.get());
        SecretQuota.Reservation refused = quota.reserve("capped-app", 6, 10); // 5 + 6 > 10
        assertFalse(refused.granted());
        assertEquals(5, refused.room());
        SecretQuota.Reservation last = quota.reserve("capped-app", 5, 10);
        assertTrue(last.granted()); // exactly 10
        assertFalse(quota.reserve("capped-app", 1, 10).granted());
        last.release(5);
        assertTrue("room given back is room again", quota.reserve("capped-app", 5, 10).granted());
        assertTrue("another source has its own count", quota.reserve("other-app", 9, 10).granted());
        assertFalse(quota.reserve("other-app", 1, 10).granted());
        assertEquals("one listing counted every source", 1, lists.get());
        clock.advance(SecretQuota.RECOUNT.plusSeconds(1));
        assertFalse("a new listing: 3 live (the reservations were never created)", quota.reserve("capped-app", 8,
                10).granted());
        assertTrue(quota.reserve("capped-app", 7, 10).granted());
        assertEquals(2, lists.get());
    }

    @Test
    public void nearTheCapAnotherContainersCreationsAreSeen() {
        AdjustableClock clock = new AdjustableClock();
        SecretQuota here = new SecretQuota(clients::vaults, settings, clock);
        assertTrue(here.reserve("shared-cap-app", 1, 4).granted()); // lists: 0 live, 1 reserved here
        // another container creates three secrets of the source
        TokenVault elsewhere = container();
        for (int i = 0; i < 3; i++) {
            elsewhere.store(TokenSecretName.of("shared-cap-app", "e" + i), "Bearer elsewhere");
        }
        clock.advance(SecretQuota.NEAR_CAP_AGE.plus(Duration.ofMillis(1)));
        assertFalse("3 live + 2 new > 4: counted again near the cap", here.reserve("shared-cap-app", 2, 4)
                .granted());
        assertTrue(here.reserve("shared-cap-app", 1, 4).granted());
    }
}
