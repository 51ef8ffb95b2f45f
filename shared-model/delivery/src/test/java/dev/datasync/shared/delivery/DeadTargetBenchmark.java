package dev.datasync.shared.delivery;

import dev.datasync.shared.config.BreakerSettings;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.DeliverySettings;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.config.TargetLimits;
import dev.datasync.shared.delivery.internal.DeliveryJob;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import dev.datasync.shared.testing.SilentTarget;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A batch where every tenth message goes to a target that accepts connections and never answers, the rest to a
 * healthy target (20 ms a call). In one run: the healthy messages alone; the mixed batch with the circuit breaker
 * (defaults: 50 % of the last 10 calls, judged from 5); the mixed batch with the breaker off. Each with a fresh engine and the
 * application's default delivery settings except {@code delivery_request_timeout_ms} 1000 (the local stack uses
 * 5000, the default is 10000: the breaker's detection time scales with it). Prints the healthy messages' delivery
 * rate in each run and each batch's duration; asserts only that every healthy message was delivered and every
 * message has an outcome.
 * <p>
 * {@code -Dbench.mode=full}: 1,000 messages, deadline 30 s; {@code short} (CI default): 300 messages, deadline 8 s.
 * The runs with the breaker and the healthy-only runs alternate, 3 of each in full mode (1 in short), and the
 * medians are compared (one healthy run takes about a second, so a moment of load on a shared machine would otherwise decide).
 * Aim: the healthy rate with the breaker at least 0.9 × the healthy-only rate. Each message has its own streamKey.
 */
public class DeadTargetBenchmark {

    private static final long HEALTHY_LATENCY_MS = 20;

    private record Figures(String mode, int healthy, long healthyDoneMs, long batchMs, int dead, int circuitOpen,
                           int notStarted) {
        double healthyRate() {
            return healthy * 1000.0 / healthyDoneMs;
        }
    }

    private static boolean full() {
        return "full".equals(System.getProperty("bench.mode", "short"));
    }

    @Test
    public void healthyRateWithAndWithoutTheBreaker() {
        int messages = full() ? 1000 : 300;
        int rounds = full() ? 3 : 1;
        Duration deadline = Duration.ofSeconds(full() ? 30 : 8);
        Clock clock = Clock.systemUTC();
        JsonLog quiet = JsonLog.to(line -> { }, clock);
        DeliverySettings s = DataSyncConfig.from(TestConfigs.with("delivery_request_timeout_ms", "1000")).delivery();

        try (ScriptedTarget healthy = ScriptedTarget.start();
             SilentTarget dead = SilentTarget.start()) {
            healthy.fallback(Reply.status(200).delayed(HEALTHY_LATENCY_MS));
            run("warm-up", s, messages, false, healthy, dead, deadline, BreakerSettings.DEFAULT, clock, quiet);
            // the healthy messages take about a second: alternate the two runs compared and take the median of
            // each, so a moment of load on the shared machine does not decide the ratio
            List<Figures> alone = new ArrayList<>();
            List<Figures> withBreaker = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                alone.add(run("healthy only", s, messages, false, healthy, dead, deadline, BreakerSettings.DEFAULT,
                        clock, quiet));
                withBreaker.add(run("breaker on", s, messages, true, healthy, dead, deadline,
                        BreakerSettings.DEFAULT, clock, quiet));
            }
            Figures without = run("breaker off", s, messages, true, healthy, dead, deadline, BreakerSettings.OFF,
                    clock, quiet);

            StringBuilder report = new StringBuilder(String.format(
                    "DeadTargetBenchmark (%s mode): %d messages, every tenth to a target that never answers;"
                            + " healthy target %d ms; delivery_concurrency %d, %d attempts, request time-out %d ms,"
                            + " deadline %d s; median of %d alternating runs with the breaker and healthy only%n",
                    full() ? "full" : "short", messages, HEALTHY_LATENCY_MS, s.concurrency(), s.maxAttempts(),
                    s.requestTimeout().toMillis(), deadline.toSeconds(), rounds));
            for (Figures f : List.of(median(alone), median(withBreaker), without)) {
                report.append(String.format("  %-12s: %d healthy delivered in %d ms = %.0f msg/s; batch %d ms"
                                + "%s%n", f.mode(), f.healthy(), f.healthyDoneMs(), f.healthyRate(), f.batchMs(),
                        f.dead() == 0 ? "" : String.format(" (%d dead-target messages: %d routed circuitOpen,"
                                + " %d not started by the deadline)", f.dead(), f.circuitOpen(), f.notStarted())));
            }
            double ratio = median(withBreaker).healthyRate() / median(alone).healthyRate();
            report.append(String.format("  healthy rate with the breaker / healthy only: %.2f (aim >= 0.9: %s);"
                            + " each run: %s vs %s msg/s; batch duration with / without the breaker: %d / %d ms",
                    ratio, ratio >= 0.9 ? "met" : "NOT met", rates(withBreaker), rates(alone),
                    median(withBreaker).batchMs(), without.batchMs()));
            System.out.println(report);
        }
    }

    private static Figures median(List<Figures> runs) {
        List<Figures> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Figures::healthyRate));
        return sorted.get(sorted.size() / 2);
    }

    private static String rates(List<Figures> runs) {
        return runs.stream().map(f -> String.format("%.0f", f.healthyRate())).toList().toString();
    }

    private static Figures run(String mode, DeliverySettings s, int messages, boolean withDead,
                               ScriptedTarget healthy, SilentTarget dead, Duration deadline,
                               BreakerSettings breaker, Clock clock, JsonLog log) {
        try (BatchDelivery engine = Engines.build(s,
                TargetControls.adaptive(s, TargetLimits.NONE, breaker, clock, log), log)) {
            List<DeliveryJob> jobs = new ArrayList<>(messages);
            int healthyCount = 0;
            for (int i = 0; i < messages; i++) {
                if (i % 10 == 9) {
                    if (withDead) {
                        jobs.add(Engines.post(mode + "-key-" + i, dead.uri("/orders"), mode + "-" + i));
                    }
                    continue;
                }
                jobs.add(Engines.post(mode + "-key-" + i, healthy.uri("/orders"), mode + "-" + i));
                healthyCount++;
            }
            Instant start = clock.instant();
            long t0 = System.nanoTime();
            List<DeliveryOutcome> out = engine.deliverAll(jobs, Deadline.in(deadline));
            long batchMs = (System.nanoTime() - t0) / 1_000_000;

            Instant lastHealthy = start;
            int delivered = 0, deadCount = 0, circuitOpen = 0, notStarted = 0;
            for (int i = 0; i < jobs.size(); i++) {
                DeliveryOutcome o = out.get(i);
                if (jobs.get(i).request().target().getPort() == healthy.uri("/").getPort()) {
                    delivered += o.delivered() ? 1 : 0;
                    lastHealthy = o.at().isAfter(lastHealthy) ? o.at() : lastHealthy;
                } else {
                    deadCount++;
                    circuitOpen += o.failure() != null && o.failure().kind() == FailureKind.CIRCUIT_OPEN ? 1 : 0;
                    notStarted += o.notStarted() ? 1 : 0;
                }
            }
            assertEquals(mode + ": every healthy message delivered", healthyCount, delivered);
            assertTrue(out.stream().allMatch(o -> o != null));
            return new Figures(mode, healthyCount, Math.max(1, Duration.between(start, lastHealthy).toMillis()),
                    batchMs, deadCount, circuitOpen, notStarted);
        }
    }
}
