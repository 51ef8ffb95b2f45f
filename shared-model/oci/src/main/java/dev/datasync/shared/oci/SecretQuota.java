package dev.datasync.shared.oci;

import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.oci.internal.SingleFlightCache;
import dev.datasync.shared.oci.internal.VaultRequests;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The per-source cap on live token secrets: a request may create new secrets for its source only while the source's
 * live secrets plus the new ones stay within its {@code maxSecrets}.
 * <p>
 * Counting: OCI's ListSecrets filters by exact name only, so one listing of the whole vault (paged, all lifecycle
 * states) counts every source's secrets at once by their name prefix ({@link TokenSecretName}); everything not
 * deleted, deleting or failed counts as live, a secret pending deletion too (a store of its token restores it). The
 * listing is kept per container and the container adds its own creations to it, so a request creating nothing never
 * lists, and most requests that create a secret do not either. A reservation that would leave the source above half
 * its cap is granted only on a listing at most {@link #NEAR_CAP_AGE} old; otherwise the listing may be
 * {@link #RECOUNT} old.
 * <p>
 * Consistency: the count is exact for what this container does, and sees other containers' creations from the
 * listing on. So a source can exceed its cap only by the secrets other containers create within one listing's age:
 * far below the cap that is up to {@link #RECOUNT}, near it up to {@link #NEAR_CAP_AGE} — a burst spread over many
 * containers at once may pass the cap by roughly what they create in those seconds, never by a further cap's worth.
 * Secrets scheduled for deletion by the sweeper leave the count at the next listing. Thread-safe; one per container.
 */
public final class SecretQuota {

    /** Age of the listing a reservation far below the cap may be granted on. */
    public static final Duration RECOUNT = Duration.ofSeconds(30);
    /** Age of the listing a reservation that takes a source above half its cap is granted on. */
    public static final Duration NEAR_CAP_AGE = Duration.ofSeconds(2);
    static final int PAGE_SIZE = 100;
    /** A vault of more secrets is not counted (the request is answered 503): 100,000 secrets. */
    static final int MAX_PAGES = 1000;
    private static final Set<SecretSummary.LifecycleState> GONE = Set.of(SecretSummary.LifecycleState.Deleted,
            SecretSummary.LifecycleState.Deleting, SecretSummary.LifecycleState.Failed);

    /** One listing's count per source, plus the creations this container reserved since. */
    private record Counts(Map<String, AtomicInteger> bySource, Instant listedAt) {
        AtomicInteger of(String sourceId) {
            return bySource.computeIfAbsent(sourceId, s -> new AtomicInteger());
        }
    }

    private final Supplier<Vaults> vaults;
    private final VaultSettings settings;
    private final Clock clock;
    private final SingleFlightCache<String, Counts> counts;

    public SecretQuota(Supplier<Vaults> vaults, VaultSettings settings, Clock clock) {
        this.vaults = vaults;
        this.settings = settings;
        this.clock = clock;
        this.counts = new SingleFlightCache<>(RECOUNT, clock);
    }

    /**
     * What a reservation came to: granted (give back the room of secrets not created with {@link #release}), or
     * refused, with the room the source had.
     */
    public static final class Reservation {
        private final AtomicInteger count;
        private final AtomicInteger reserved;
        private final int room;

        private Reservation(AtomicInteger count, int reserved, int room) {
            this.count = count;
            this.reserved = new AtomicInteger(reserved);
            this.room = room;
        }

        public boolean granted() {
            return count != null;
        }

        /** How many new secrets the source could still have when this was decided (before it, when granted). */
        public int room() {
            return room;
        }

        /** Gives back the room of {@code unused} reserved secrets that were not created. */
        public void release(int unused) {
            if (count == null) {
                return;
            }
            int asked = Math.max(0, unused);
            int before = reserved.getAndUpdate(r -> r - Math.min(r, asked));
            count.addAndGet(-Math.min(before, asked));
        }
    }

    /**
     * Reserves room for {@code newSecrets} new secrets of {@code sourceId}; refused when the source would then have
     * more than {@code maxSecrets} live secrets.
     * @throws VaultUnavailableException when the vault cannot be listed now
     */
    public Reservation reserve(String sourceId, int newSecrets, int maxSecrets) {
        if (newSecrets <= 0) {
            return new Reservation(new AtomicInteger(), 0, Integer.MAX_VALUE);
        }
        Counts current = counts.get("", this::list);
        AtomicInteger count = current.of(sourceId);
        if (count.get() + newSecrets > maxSecrets / 2
                && current.listedAt().plus(NEAR_CAP_AGE).isBefore(clock.instant())) {
            // near the cap: count again, so other containers' recent creations are seen
            counts.invalidate("");
            current = counts.get("", this::list);
            count = current.of(sourceId);
        }
        while (true) {
            int now = count.get();
            int room = Math.max(0, maxSecrets - now);
            if (newSecrets > room) {
                return new Reservation(null, 0, room);
            }
            if (count.compareAndSet(now, now + newSecrets)) {
                return new Reservation(count, newSecrets, room);
            }
        }
    }

    private Counts list() {
        Instant listedAt = clock.instant();
        Map<String, AtomicInteger> bySource = new ConcurrentHashMap<>();
        String page = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            String from = page;
            ListSecretsResponse response = VaultRequests.send("ListSecrets", "(all, for the secret cap)",
                    () -> vaults.get().listSecrets(ListSecretsRequest.builder()
                            .compartmentId(settings.compartmentOcid())
                            .vaultId(settings.vaultOcid())
                            .limit(PAGE_SIZE)
                            .page(from)
                            .build()));
            List<SecretSummary> items = response.getItems() == null ? List.of() : response.getItems();
            for (SecretSummary s : items) {
                String source = TokenSecretName.sourceOf(s.getSecretName());
                if (source != null && !GONE.contains(s.getLifecycleState())) {
                    bySource.computeIfAbsent(source, x -> new AtomicInteger()).incrementAndGet();
                }
            }
            page = response.getOpcNextPage();
            if (page == null) {
                return new Counts(bySource, listedAt);
            }
        }
        throw new VaultUnavailableException("the vault holds more than " + MAX_PAGES * PAGE_SIZE
                + " secrets: the secret cap cannot count them", 0);
    }
}
