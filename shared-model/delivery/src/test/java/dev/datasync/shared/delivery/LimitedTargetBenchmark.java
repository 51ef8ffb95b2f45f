package dev.datasync.shared.delivery;

import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.LimitedTarget;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;

/**
 * A target of fixed capacity: it serves at most 8 requests at once, 20 ms each, and answers 503 at once beyond
 * that (capacity 8 / 20 ms = 400 msg/s). The same batch is delivered in one run with the adaptive per-target limit
 * and with a fixed concurrency of 32 (every worker on the target, as before per-target limits), each against a
 * fresh target and a fresh engine, with the application's default delivery settings ({@code delivery_concurrency}
 * 32, 4 attempts, backoff 200 ms to 5 s). A third run with a fixed limit of exactly 8 shows what any limit can
 * reach on the machine at the time: each call also spends the client's and the server's own time outside the
 * target's 20 ms, so 8 calls in flight deliver less than 400 msg/s. Prints the delivery rate against the capacity and the share of calls
 * answered 503; asserts only that every message has an outcome (timings on a shared machine are not assertions).
 * <p>
 * {@code -Dbench.mode=full}: 4,000 messages per mode; {@code short} (CI default): 800. Aim, adaptive: at least
 * 0.9 × 400 msg/s, at most 1 % of calls answered 503. Each message has its own streamKey.
 */
public class LimitedTargetBenchmark {

    private static final int CAPACITY = 8;
    private static final long LATENCY_MS = 20;

    private record Figures(String mode, int messages, int delivered, long durationMs, int served, int refused,
                           int endLimit) {
        double rate() {
            return delivered * 1000.0 / durationMs;
        }

        double refusedPercent() {
            int calls = served + refused;
            return calls == 0 ? 0 : 100.0 * refused / calls;
        }
    }

    private static boolean full() {
        return "full".equals(System.getProperty("bench.mode", "short"));
    }

    @Test
    public void adaptiveAgainstFixedConcurrency() {
        int messages = full() ? 4000 : 800;
        Clock clock = Clock.systemUTC();
        JsonLog quiet = JsonLog.to(line -> { }, clock);
        DeliverySettings s = DataSyncConfig.from(TestConfigs.valid()).delivery();
        warmUp(s, quiet, messages);

        Figures adaptive = run("adaptive", s, messages,
                TargetControls.adaptive(s, TargetLimits.NONE, BreakerSettings.DEFAULT, clock, quiet), quiet);
        Figures fixed = run("fixed " + s.concurrency(), s, messages,
                TargetControls.fixed(s.concurrency(), TargetLimits.NONE, BreakerSettings.DEFAULT, clock, quiet),
                quiet);
        // what any limit can reach on this machine: exactly the target's capacity, known in advance
        Figures exact = run("fixed " + CAPACITY, s, messages,
                TargetControls.fixed(CAPACITY, TargetLimits.NONE, BreakerSettings.DEFAULT, clock, quiet), quiet);

        double capacity = CAPACITY * 1000.0 / LATENCY_MS;
        StringBuilder report = new StringBuilder(String.format(
                "LimitedTargetBenchmark (%s mode): target serves %d at once, %d ms each, 503 beyond (capacity %.0f"
                        + " msg/s); delivery_concurrency %d, %d attempts%n", full() ? "full" : "short", CAPACITY,
                LATENCY_MS, capacity, s.concurrency(), s.maxAttempts()));
        for (Figures f : List.of(adaptive, fixed, exact)) {
            report.append(String.format("  %-9s: %d/%d delivered in %d ms = %.0f msg/s = %.2f x capacity;"
                            + " %d of %d calls answered 503 = %.2f %%%n", f.mode(), f.delivered(), f.messages(),
                    f.durationMs(), f.rate(), f.rate() / capacity, f.refused(), f.served() + f.refused(),
                    f.refusedPercent()));
        }
        report.append(String.format("  aim (adaptive): >= %.0f msg/s: %s; <= 1 %% answered 503: %s; the adaptive limit"
                        + " ended at %d; fixed %d is the reference: the capacity known in advance, the best a limit"
                        + " can do with this machine's own time per call", 0.9 * capacity,
                adaptive.rate() >= 0.9 * capacity ? "met" : "NOT met",
                adaptive.refusedPercent() <= 1.0 ? "met" : "NOT met", adaptive.endLimit(), CAPACITY));
        System.out.println(report);
    }

    private static Figures run(String mode, DeliverySettings s, int messages, TargetControls controls, JsonLog log) {
        try (LimitedTarget target = LimitedTarget.start(CAPACITY, LATENCY_MS);
             BatchDelivery engine = Engines.build(s, controls, log)) {
            List<DeliveryJob> jobs = new ArrayList<>(messages);
            for (int i = 0; i < messages; i++) {
                jobs.add(Engines.post(mode + "-key-" + i, target.uri("/orders"), mode + "-" + i));
            }
            long start = System.nanoTime();
            List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(Duration.ofMinutes(5)));
            long durationMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(messages, out.stream().filter(o -> o != null).count());
            int delivered = (int) out.stream().filter(DeliveryOutcome::delivered).count();
            return new Figures(mode, messages, delivered, durationMs, target.served(), target.refused(),
                    controls.states().get(0).limit());
        }
    }

    /**
     * A quarter of the batch in each mode against a target of the same shape, discarded: the measured runs meet a
     * warm JIT on both sides (client, scheduler, and the target's refusal path), whatever their order.
     */
    private static void warmUp(DeliverySettings s, JsonLog log, int messages) {
        Clock clock = Clock.systemUTC();
        run("warm-up", s, messages / 4, TargetControls.adaptive(s, TargetLimits.NONE, BreakerSettings.DEFAULT, clock,
                log), log);
        run("warm-up", s, messages / 4, TargetControls.fixed(s.concurrency(), TargetLimits.NONE,
                BreakerSettings.DEFAULT, clock, log), log);
    }
}
