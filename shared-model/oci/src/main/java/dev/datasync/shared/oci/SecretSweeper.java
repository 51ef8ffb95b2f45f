package dev.datasync.shared.oci;

import com.oracle.bmc.vault.Vaults;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.internal.LazyDaemonThread;
import dev.datasync.shared.oci.internal.SecretLifecyclePolicy;
import dev.datasync.shared.oci.internal.SecretSweep;
import dev.datasync.shared.oci.internal.SweepReport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Keeps Vault from filling up: schedules the deletion of token secrets this service created (our metadata marker;
 * a secret without it is never touched) that no request used for longer than the retention
 * ({@link SecretLifecyclePolicy}). {@link #requestSweep()} is called per request and starts a sweep
 * ({@link SecretSweep}) on the sweeper's own thread at most once per interval per container, so a request never
 * waits for it; one sweep is bounded in calls, and what it leaves is picked up by the next.
 * <p>
 * Safety against a request that uses a secret while it is swept: the deletion is scheduled with the etag of the
 * read that found the secret stale, and recording a use changes that etag, so one of the two loses (412) and the
 * secret stays. The recorded last use lags the real one by at most the touch interval, which the staleness
 * threshold adds. Thread-safe; build one per container.
 */
public final class SecretSweeper {

    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

    private final SecretSweep sweep;
    private final Clock clock;
    private final Duration interval;
    private final Supplier<Executor> executor;
    private final JsonLog log;
    private final AtomicReference<Instant> nextDue = new AtomicReference<>(Instant.MIN);
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param executor where sweeps run (a test may pass a direct executor); sweeps never overlap
     */
    public SecretSweeper(Supplier<Vaults> vaults, VaultSettings settings, Clock clock, Duration interval,
                         Supplier<Executor> executor, JsonLog log) {
        this.sweep = new SecretSweep(vaults, settings, clock, log);
        this.clock = clock;
        this.interval = interval;
        this.executor = executor;
        this.log = log;
    }

    /** Sweeps hourly on one daemon thread of its own, created on the first sweep. */
    public static SecretSweeper inBackground(Supplier<Vaults> vaults, VaultSettings settings, JsonLog log) {
        return new SecretSweeper(vaults, settings, Clock.systemUTC(), DEFAULT_INTERVAL,
                new LazyDaemonThread("datasync-secret-sweeper")::get, log);
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
                    sweep.run();
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
        return sweep.run();
    }
}
