package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.responses.GetSecretResponse;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.log.JsonLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps Vault from filling up: schedules the deletion of token secrets this service created (our metadata marker;
 * a secret without it is never touched) that no request used for longer than the retention
 * ({@link SecretLifecyclePolicy}). {@link #requestSweep()} is called per request and starts a sweep on the
 * sweeper's own thread at most once per interval per container, so a request never waits for it; one sweep is
 * bounded in calls, and what it leaves is picked up by the next.
 * <p>
 * Safety against a request that uses a secret while it is swept: the deletion is scheduled with the etag of the
 * read that found the secret stale, and recording a use changes that etag, so one of the two loses (412) and the
 * secret stays. The recorded last use lags the real one by at most the touch interval, which the staleness
 * threshold adds. Thread-safe; build one per container.
 */
public final class SecretSweeper {

    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    static final int PAGE_SIZE = 100;
    static final int MAX_PAGES = 50;
    static final int MAX_INSPECTIONS = 200;
    static final int MAX_FAILURES = 5;
    /** Memory of secret ids, bounded (cleared when full: forgetting only costs a GetSecret). */
    static final int MAX_REMEMBERED = 50_000;

    private final Supplier<Vaults> vaults;
    private final VaultSettings settings;
    private final SecretLifecyclePolicy policy;
    private final Clock clock;
    private final Duration interval;
    private final Supplier<Executor> executor;
    private final JsonLog log;
    private final AtomicReference<Instant> nextDue;
    private final AtomicBoolean running = new AtomicBoolean();
    /** secret id → until when it is certainly not stale (read once, no need to read again before) */
    private final Map<String, Instant> freshUntil = new ConcurrentHashMap<>();
    /** ids of secrets that are not ours */
    private final Set<String> foreignIds = ConcurrentHashMap.newKeySet();

    /**
     * @param executor where sweeps run (a test may pass a direct executor); sweeps never overlap
     */
    public SecretSweeper(Supplier<Vaults> vaults, VaultSettings settings, Clock clock, Duration interval,
                         Supplier<Executor> executor, JsonLog log) {
        this.vaults = vaults;
        this.settings = settings;
        this.policy = SecretLifecyclePolicy.of(settings);
        this.clock = clock;
        this.interval = interval;
        this.executor = executor;
        this.log = log;
        this.nextDue = new AtomicReference<>(Instant.MIN);
    }

    /** Sweeps hourly on one daemon thread of its own, created on the first sweep. */
    public static SecretSweeper inBackground(Supplier<Vaults> vaults, VaultSettings settings, JsonLog log) {
        return new SecretSweeper(vaults, settings, Clock.systemUTC(), DEFAULT_INTERVAL,
                new LazyDaemonThread()::get, log);
    }

    /**
     * Starts a sweep when one is due and none is running; returns at once (the sweep runs on the executor).
     * @return whether a sweep was started
     */
    public boolean requestSweep() {
        if (running.get()) {
            return false;
        }
        Instant now = clock.instant();
        Instant due = nextDue.get();
        if (now.isBefore(due) || !nextDue.compareAndSet(due, now.plus(interval))) {
            return false;
        }
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        try {
            executor.get().execute(() -> {
                try {
                    sweepNow();
                } catch (RuntimeException e) {
                    log.warn("secret.sweep_failed").code(e.getClass().getSimpleName()).write();
                } finally {
                    running.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            running.set(false);
            return false;
        }
    }

    /** One sweep on the calling thread. */
    public SweepReport sweepNow() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Instant staleBefore = policy.staleBefore(now);
        Counts c = new Counts();
        boolean complete = false;
        String page = null;
        int pages = 0;
        outer:
        while (true) {
            ListSecretsResponse response;
            try {
                response = vaults.get().listSecrets(ListSecretsRequest.builder()
                        .compartmentId(settings.compartmentOcid())
                        .vaultId(settings.vaultOcid())
                        .lifecycleState(SecretSummary.LifecycleState.Active)
                        .sortBy(ListSecretsRequest.SortBy.Timecreated)
                        .sortOrder(ListSecretsRequest.SortOrder.Asc)
                        .limit(PAGE_SIZE)
                        .page(page)
                        .build());
            } catch (RuntimeException e) {
                c.failed++;
                log.warn("secret.sweep_list_failed").status(status(e)).code(code(e)).write();
                break;
            }
            List<SecretSummary> items = response.getItems() == null ? List.of() : response.getItems();
            for (SecretSummary s : items) {
                c.listed++;
                if (s.getTimeCreated() != null && !s.getTimeCreated().toInstant().isBefore(staleBefore)) {
                    complete = true; // oldest first: this one and every later one was created within the retention
                    break outer;
                }
                if (s.getLifecycleState() != SecretSummary.LifecycleState.Active
                        || !settings.vaultOcid().equals(s.getVaultId())) {
                    continue; // the listing is filtered already; never act on anything else regardless
                }
                if (foreignIds.contains(s.getId())) {
                    c.foreign++;
                    continue;
                }
                Instant fresh = freshUntil.get(s.getId());
                if (fresh != null && now.isBefore(fresh)) {
                    c.kept++;
                    continue;
                }
                if (c.inspected >= MAX_INSPECTIONS || c.failed >= MAX_FAILURES) {
                    break outer;
                }
                inspect(s.getId(), now, staleBefore, c);
            }
            page = response.getOpcNextPage();
            if (page == null) {
                complete = true;
                break;
            }
            if (++pages >= MAX_PAGES) {
                break;
            }
        }
        SweepReport report = new SweepReport(c.listed, c.inspected, c.foreign, c.kept, c.scheduled, c.skipped,
                c.failed, complete && c.failed == 0);
        log.info("secret.sweep").count("listed", report.listed()).count("inspected", report.inspected())
                .count("foreign", report.foreign()).count("kept", report.kept())
                .count("scheduled", report.scheduled()).count("skipped", report.skipped())
                .count("failed", report.failed()).outcome(report.complete() ? "complete" : "partial")
                .durationMs((System.nanoTime() - started) / 1_000_000).write();
        return report;
    }

    /** Reads one secret and, when it is ours and stale, schedules its deletion guarded by that read's etag. */
    private void inspect(String id, Instant now, Instant staleBefore, Counts c) {
        c.inspected++;
        GetSecretResponse read;
        try {
            read = vaults.get().getSecret(GetSecretRequest.builder().secretId(id).build());
        } catch (RuntimeException e) {
            if (status(e) != 404) {
                c.failed++;
                log.warn("secret.sweep_read_failed").status(status(e)).code(code(e)).write();
            }
            return;
        }
        Secret secret = read.getSecret();
        if (!TokenSecretMetadata.isOurs(secret.getMetadata())) {
            remember(foreignIds, () -> foreignIds.add(id));
            c.foreign++;
            return;
        }
        if (secret.getLifecycleState() != Secret.LifecycleState.Active) {
            return;
        }
        Instant lastUsed = TokenSecretMetadata.lastUsed(secret.getMetadata(), secret.getTimeCreated());
        if (!lastUsed.isBefore(staleBefore)) {
            remember(freshUntil.keySet(), () -> freshUntil.put(id, policy.freshUntil(lastUsed)));
            c.kept++;
            return;
        }
        try {
            vaults.get().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder()
                    .secretId(id)
                    .ifMatch(read.getEtag())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder()
                            .timeOfDeletion(Date.from(policy.timeOfDeletion(now))).build())
                    .build());
            freshUntil.remove(id);
            c.scheduled++;
            log.info("secret.deletion_scheduled").secretName(secret.getSecretName())
                    .reason("unused since " + lastUsed).write();
        } catch (RuntimeException e) {
            int status = status(e);
            if (status == 412 || status == 409 || status == 404) {
                c.skipped++; // used again or changed since our read: it stays
            } else {
                c.failed++;
                log.warn("secret.sweep_schedule_failed").secretName(secret.getSecretName()).status(status)
                        .code(code(e)).write();
            }
        }
    }

    private static void remember(Set<String> memory, Runnable add) {
        if (memory.size() >= MAX_REMEMBERED) {
            memory.clear();
        }
        add.run();
    }

    private static int status(RuntimeException e) {
        return e instanceof BmcException b ? b.getStatusCode() : 0;
    }

    private static String code(RuntimeException e) {
        return e instanceof BmcException b ? b.getServiceCode() : e.getClass().getSimpleName();
    }

    private static final class Counts {
        int listed;
        int inspected;
        int foreign;
        int kept;
        int scheduled;
        int skipped;
        int failed;
    }

    /** One daemon thread, created on the first sweep rather than at container start. */
    private static final class LazyDaemonThread {
        private volatile ExecutorService executor;

        synchronized Executor get() {
            if (executor == null) {
                executor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "datasync-secret-sweeper");
                    t.setDaemon(true);
                    return t;
                });
            }
            return executor;
        }
    }
}
