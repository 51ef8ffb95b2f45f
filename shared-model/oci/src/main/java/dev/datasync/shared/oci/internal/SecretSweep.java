package dev.datasync.shared.oci.internal;

import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.log.JsonLog;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * One pass over the vault's ACTIVE secrets, oldest first, checking those old enough to be stale
 * ({@link StaleSecretCheck}). Bounded in pages, reads and failures: what one pass leaves is picked up by the next.
 * Secrets read before are skipped while the {@link SweepMemory} shared by all passes knows them to be foreign or
 * fresh. Logs one {@code secret.sweep} line with the counts.
 */
public final class SecretSweep {

    static final int PAGE_SIZE = 100;
    static final int MAX_PAGES = 50;
    static final int MAX_INSPECTIONS = 200;
    static final int MAX_FAILURES = 5;

    private final Supplier<Vaults> vaults;
    private final VaultSettings settings;
    private final SecretLifecyclePolicy policy;
    private final Clock clock;
    private final JsonLog log;
    private final SweepMemory memory = new SweepMemory();
    private final StaleSecretCheck check;

    public SecretSweep(Supplier<Vaults> vaults, VaultSettings settings, Clock clock, JsonLog log) {
        this.vaults = vaults;
        this.settings = settings;
        this.policy = SecretLifecyclePolicy.of(settings);
        this.clock = clock;
        this.log = log;
        this.check = new StaleSecretCheck(vaults, policy, memory, log);
    }

    /** One pass on the calling thread. */
    public SweepReport run() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        SweepCounts c = new SweepCounts();
        boolean listedToTheEnd = listAndCheck(now, c);
        SweepReport report = c.report(listedToTheEnd);
        log.info("secret.sweep").count("listed", report.listed()).count("inspected", report.inspected())
                .count("foreign", report.foreign()).count("kept", report.kept())
                .count("scheduled", report.scheduled()).count("skipped", report.skipped())
                .count("failed", report.failed()).outcome(report.complete() ? "complete" : "partial")
                .durationMs((System.nanoTime() - started) / 1_000_000).write();
        return report;
    }

    /** @return whether the listing reached its end, or the first secret too young to be stale */
    private boolean listAndCheck(Instant now, SweepCounts c) {
        Instant staleBefore = policy.staleBefore(now);
        String page = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            ListSecretsResponse response = list(page, c);
            if (response == null) {
                return false;
            }
            List<SecretSummary> items = response.getItems() == null ? List.of() : response.getItems();
            for (SecretSummary s : items) {
                c.listed++;
                if (s.getTimeCreated() != null && !s.getTimeCreated().toInstant().isBefore(staleBefore)) {
                    return true; // oldest first: this one and every later one was created within the retention
                }
                if (s.getLifecycleState() != SecretSummary.LifecycleState.Active
                        || !settings.vaultOcid().equals(s.getVaultId())) {
                    continue; // the listing is filtered already; never act on anything else regardless
                }
                if (memory.isForeign(s.getId())) {
                    c.foreign++;
                } else if (memory.isFresh(s.getId(), now)) {
                    c.kept++;
                } else if (c.inspected >= MAX_INSPECTIONS || c.failed >= MAX_FAILURES) {
                    return false;
                } else {
                    check.inspect(s.getId(), now, c);
                }
            }
            page = response.getOpcNextPage();
            if (page == null) {
                return true;
            }
        }
        return false;
    }

    /** One page of ACTIVE secrets, oldest first; null when the listing failed (counted and logged). */
    private ListSecretsResponse list(String page, SweepCounts c) {
        try {
            return vaults.get().listSecrets(ListSecretsRequest.builder()
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
            log.warn("secret.sweep_list_failed").status(VaultRequests.status(e)).code(VaultRequests.code(e)).write();
            return null;
        }
    }
}
