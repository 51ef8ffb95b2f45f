package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.requests.ListSecretBundleVersionsRequest;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.responses.GetSecretResponse;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.internal.SecretNotFoundException;
import dev.datasync.shared.oci.internal.SweepReport;
import dev.datasync.shared.oci.internal.TokenFingerprint;
import dev.datasync.shared.oci.internal.TokenSecretMetadata;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The bounded lifecycle of token secrets — use recorded in metadata, unused secrets scheduled for deletion, a
 * scheduled secret restored by its token — through the real Vaults/Secrets SDK clients against local-oci, with one
 * adjustable clock for the emulator and the code under test. Retention is the minimum (8 days), the tightest case
 * for a late replay. The clock only moves forward and the emulator is shared, so each test uses its own names and
 * asserts on its own secrets.
 */
public class SecretLifecycleLocalOciTest {

    static final String TOKEN = "Bearer lifecycle-secret-token";
    static final Duration DAY = Duration.ofDays(1);
    static final AdjustableClock clock = new AdjustableClock();

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients(LocalOciRule.withClock(clock),
            config -> config.put("secret_retention_days", "8"));

    static OciClients clients;
    static VaultSettings settings;
    static final List<String> logLines = new ArrayList<>();

    @BeforeClass
    public static void connect() {
        clients = OCI.clients();
        settings = OCI.config().vault();
    }

    /** A new container's TokenVault (empty caches) on the test clock. */
    static TokenVault container() {
        return new TokenVault(clients::vaults, clients::secrets, settings, clock);
    }

    static TokenVault container(Vaults vaults) {
        return new TokenVault(() -> vaults, clients::secrets, settings, clock);
    }

    static SecretSweeper sweeper(Vaults vaults) {
        return new SecretSweeper(() -> vaults, settings, clock, Duration.ofHours(1), () -> Runnable::run,
                JsonLog.to(line -> {
                    synchronized (logLines) {
                        logLines.add(line);
                    }
                }, clock));
    }

    static SweepReport sweep() {
        return sweeper(clients.vaults()).sweepNow();
    }

    /** The live (not DELETED) secret of that name, read with GetSecret. */
    static GetSecretResponse secret(String name) {
        List<SecretSummary> found = clients.vaults().listSecrets(ListSecretsRequest.builder()
                .compartmentId(settings.compartmentOcid()).vaultId(settings.vaultOcid()).name(name).build()).getItems();
        for (SecretSummary s : found) {
            if (s.getLifecycleState() != SecretSummary.LifecycleState.Deleted) {
                return clients.vaults().getSecret(GetSecretRequest.builder().secretId(s.getId()).build());
            }
        }
        throw new AssertionError("no live secret " + name);
    }

    static Secret.LifecycleState state(String name) {
        return secret(name).getSecret().getLifecycleState();
    }

    static Instant recordedLastUse(String name) {
        Secret s = secret(name).getSecret();
        return Instant.parse((String) s.getMetadata().get(TokenSecretMetadata.LAST_USED_KEY));
    }

    /** The real SDK Vaults client, counting calls by method name and running {@code before} ahead of each call. */
    static Vaults observed(Map<String, AtomicInteger> calls, BiConsumer<String, Object> before) {
        return ForwardingProxy.of(Vaults.class, clients.vaults(), (method, args) -> {
            calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            before.accept(method, args == null ? null : args[0]);
        });
    }

    static int calls(Map<String, AtomicInteger> calls, String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    /** A secret somebody else created in the same vault and compartment. */
    static String createForeign(String name, Map<String, Object> metadata) {
        return clients.vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(
                CreateSecretDetails.builder().compartmentId(settings.compartmentOcid()).vaultId(settings.vaultOcid())
                        .keyId(settings.keyOcid()).secretName(name).metadata(metadata)
                        .secretContent(Base64SecretContentDetails.builder().content(Base64.getEncoder()
                                .encodeToString("someone else's".getBytes(StandardCharsets.UTF_8))).build())
                        .build()).build()).getSecret().getId();
    }

    @Test
    public void anUnusedSecretIsScheduledForDeletionOnlyAfterTheRetention() {
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store("idle-token", TOKEN));
        // retention 8 days + 1 day for the once-a-day recording of use = stale after 9 days
        clock.advance(DAY.multipliedBy(9).minusHours(1));
        sweep();
        assertEquals(Secret.LifecycleState.Active, state("idle-token"));

        clock.advance(Duration.ofHours(2));
        Instant now = clock.instant();
        SweepReport report = sweep();
        assertTrue(report.toString(), report.scheduled() >= 1);
        GetSecretResponse scheduled = secret("idle-token");
        assertEquals(Secret.LifecycleState.PendingDeletion, scheduled.getSecret().getLifecycleState());
        Instant deletion = scheduled.getSecret().getTimeOfDeletion().toInstant();
        assertTrue(deletion.toString(), !deletion.isBefore(now.plus(DAY)) && deletion.isBefore(now.plus(DAY.multipliedBy(2))));
        try {
            container().read("idle-token");
            fail("a secret pending deletion cannot be read (as on OCI)");
        } catch (SecretNotFoundException expected) {
            // that is why the retention must outlast every replay window
        }
        synchronized (logLines) {
            assertTrue(logLines.stream().anyMatch(l -> l.contains("secret.deletion_scheduled")
                    && l.contains("idle-token")));
            assertFalse(logLines.stream().anyMatch(l -> l.contains("lifecycle-secret-token")));
        }
    }

    @Test
    public void aSecretInUseIsKeptAndItsUseRecordedAtMostOncePerDayWithoutNewVersions() {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        TokenVault container = container(observed(calls, (m, request) -> { }));
        assertEquals(TokenVault.StoreOutcome.CREATED, container.store("busy-token", TOKEN));
        int days = 20; // well past retention + 1 day
        for (int day = 1; day <= days; day++) {
            clock.advance(DAY);
            for (int i = 0; i < 3; i++) {
                assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, container.store("busy-token", TOKEN));
                assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, container().store("busy-token", TOKEN));
                clock.advance(Duration.ofMinutes(20)); // beyond the 10-minute binding cache
            }
            sweep();
            assertEquals("day " + day, Secret.LifecycleState.Active, state("busy-token"));
        }
        assertEquals("one recording per day by the observed container", days, calls(calls, "updateSecret"));
        assertTrue(Duration.between(recordedLastUse("busy-token"), clock.instant()).compareTo(DAY) < 0);

        Secret secret = secret("busy-token").getSecret();
        assertEquals("recording use makes no secret version", 1L, (long) secret.getCurrentVersionNumber());
        assertEquals(1, clients.secrets().listSecretBundleVersions(ListSecretBundleVersionsRequest.builder()
                .secretId(secret.getId()).build()).getItems().size());
        assertTrue(TokenFingerprint.matches((String) secret.getMetadata().get(TokenSecretMetadata.FINGERPRINT_KEY), TOKEN));
        assertEquals(TOKEN, container().read("busy-token"));
    }

    @Test
    public void foreignSecretsAreNeverTouched() {
        createForeign("foreign-plain", null);
        Map<String, Object> lookalike = new HashMap<>();
        lookalike.put(TokenSecretMetadata.LAST_USED_KEY, "2001-01-01T00:00:00Z");
        createForeign("foreign-lookalike", lookalike);
        createForeign("foreign-bad-fingerprint", Map.of(TokenSecretMetadata.FINGERPRINT_KEY, "sha256:not-ours"));
        Map<String, String> etags = new HashMap<>();
        for (String name : List.of("foreign-plain", "foreign-lookalike", "foreign-bad-fingerprint")) {
            etags.put(name, secret(name).getEtag());
        }

        clock.advance(DAY.multipliedBy(60));
        SecretSweeper sweeper = sweeper(clients.vaults());
        SweepReport first = sweeper.sweepNow();
        SweepReport second = sweeper.sweepNow();
        assertTrue(first.toString(), first.foreign() >= 3);
        assertTrue(second.toString(), second.foreign() >= 3);
        assertEquals(TokenVault.StoreOutcome.CONFLICT, container().store("foreign-plain", TOKEN));
        assertEquals(TokenVault.StoreOutcome.CONFLICT, container().store("foreign-lookalike", TOKEN));

        for (String name : etags.keySet()) {
            GetSecretResponse now = secret(name);
            assertEquals(name, Secret.LifecycleState.Active, now.getSecret().getLifecycleState());
            assertEquals(name + " was written to", etags.get(name), now.getEtag());
        }
    }

    @Test
    public void aLateReplayWithinTheRetentionStillReadsItsToken() {
        // the message naming the secret is accepted now; it sits in an error stream for up to 7 days
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store("replay-token", TOKEN));
        SecretSweeper sweeper = sweeper(clients.vaults());
        for (int halfDays = 1; halfDays <= 15; halfDays++) {
            clock.advance(Duration.ofHours(12));
            sweeper.sweepNow();
        }
        clock.advance(Duration.ofHours(11)); // 7 days 23 hours after the last use
        sweeper.sweepNow();
        assertEquals(Secret.LifecycleState.Active, state("replay-token"));
        assertEquals("the replay (RetryFunction, a new container) finds its token", TOKEN,
                container().read("replay-token"));
    }

    @Test
    public void storingTheSameTokenRestoresASecretScheduledForDeletion() {
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store("comeback-token", TOKEN));
        clock.advance(DAY.multipliedBy(10));
        sweep();
        assertEquals(Secret.LifecycleState.PendingDeletion, state("comeback-token"));

        assertEquals(TokenVault.StoreOutcome.CONFLICT, container().store("comeback-token", "Bearer someone-else"));
        assertEquals(Secret.LifecycleState.PendingDeletion, state("comeback-token"));

        assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, container().store("comeback-token", TOKEN));
        assertEquals(Secret.LifecycleState.Active, state("comeback-token"));
        assertTrue(Duration.between(recordedLastUse("comeback-token"), clock.instant()).compareTo(Duration.ofMinutes(1)) < 0);
        assertEquals(TOKEN, container().read("comeback-token"));
        sweep();
        assertEquals(Secret.LifecycleState.Active, state("comeback-token"));
    }

    @Test
    public void afterTheDeletionTheNameCanHoldTheTokenAgain() {
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store("reborn-token", TOKEN));
        clock.advance(DAY.multipliedBy(10));
        sweep();
        clock.advance(DAY.multipliedBy(2)); // past the time of deletion: DELETED (local-oci then frees the name)
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store("reborn-token", TOKEN));
        assertEquals(Secret.LifecycleState.Active, state("reborn-token"));
        assertEquals(TOKEN, container().read("reborn-token"));
    }

    /** Real OCI may keep a deleted secret's name reserved (users report 400 "name already exists"). */
    @Test
    public void aNameVaultStillReservesIsUnavailableNotAConflict() {
        Vaults reserving = ForwardingProxy.of(Vaults.class, clients.vaults(), (method, args) -> {
            if (method.equals("createSecret")) {
                throw new BmcException(400, "InvalidParameter", "name already exists", "req");
            }
        });
        assertEquals(TokenVault.StoreOutcome.NAME_UNAVAILABLE, container(reserving).store("reserved-token", TOKEN));
    }

    @Test
    public void aUseWhileTheSweepDecidesKeepsTheSecret() {
        assertEquals(TokenVault.StoreOutcome.CREATED, container().store("contested-token", TOKEN));
        clock.advance(DAY.multipliedBy(10));
        // between the sweeper's GetSecret and its ScheduleSecretDeletion, a request uses the secret
        String id = secret("contested-token").getSecret().getId();
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        Vaults racing = observed(calls, (method, request) -> {
            if (request instanceof ScheduleSecretDeletionRequest r && r.getSecretId().equals(id)) {
                assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, container().store("contested-token", TOKEN));
            }
        });
        SweepReport report = sweeper(racing).sweepNow();
        assertTrue(report.toString(), report.skipped() >= 1);
        assertEquals(Secret.LifecycleState.Active, state("contested-token"));
        assertEquals(TOKEN, container().read("contested-token"));
    }

    @Test
    public void sweepsStartOffTheCallerAtMostOncePerIntervalAndNeverOverlap() {
        List<Runnable> queued = new ArrayList<>();
        Executor manual = queued::add;
        SecretSweeper sweeper = new SecretSweeper(clients::vaults, settings, clock, Duration.ofHours(1),
                () -> manual, JsonLog.to(l -> { }, clock));
        assertTrue(sweeper.requestSweep());
        assertFalse(sweeper.requestSweep());
        assertEquals("the caller only queued it", 1, queued.size());
        clock.advance(Duration.ofHours(2));
        assertFalse("one still running: no second", sweeper.requestSweep());
        queued.remove(0).run();
        assertTrue(sweeper.requestSweep());
        clock.advance(Duration.ofMinutes(30));
        queued.remove(0).run();
        assertFalse("within the interval", sweeper.requestSweep());
        clock.advance(Duration.ofMinutes(31));
        assertTrue(sweeper.requestSweep());
        assertEquals(1, queued.size());
        assertNotNull(queued.remove(0));
    }
}
