package dev.datasync.shared.redrive;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.RedriveSettings;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.Metric;
import dev.datasync.shared.metrics.MetricsSink;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.retry.StreamUnavailableException;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.ErrorStreamRouter;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.routing.RoutingFailedException;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateUnavailableException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One automatic redrive pass over every stream of {@code redrive_stream_ocids}: each is read through the consumer
 * group {@code redrive_group} ({@link RedriveSource}) up to its end as it was when the pass began, page by page
 * ({@link RedrivePage}: due messages delivered through the same {@link BatchPipeline} as ReadDataStream, the others
 * copied forward, re-appended with their next slot or dead-lettered), and the group is committed after each page
 * once every message of it is placed — so a crash mid-pass loses nothing: the next pass reads the uncommitted page
 * again (its deliveries repeat under the same Idempotency-Key, its copies may be appended twice).
 * <p>
 * Each partition is claimed like a manual replay claims it ({@link PassClaims}): its lease is held while the pass
 * works on it — a partition a replay holds is left for the next pass — and what each page settled is recorded in
 * its replay marks before the commit, so a later replay of the range neither sends nor routes it again.
 * <p>
 * The pass stops reading when less than {@link #MIN_PAGE_TIME} of the function's time is left and commits what is
 * settled. It publishes {@code redrive.pending} once per stream it read. Thread-safe; one per container.
 */
public final class RedrivePass {

    /** Below this much time left no further page is read: delivering it would mostly copy it forward untried. */
    static final Duration MIN_PAGE_TIME = Duration.ofSeconds(2);

    private final RedriveSource source;
    private final PartitionClaims claims;
    private final RedriveSettings settings;
    private final RedrivePage.Parts parts;
    private final DataSyncConfig config;
    private final MetricsSink metrics;
    private final Clock clock;
    private final JsonLog log;

    public RedrivePass(DataSyncConfig config, RedriveSource source, BatchPipeline pipeline, ErrorStreamRouter router,
                       OrderGate gate, PartitionClaims claims, MetricsSink metrics, Clock clock, JsonLog log) {
        this.source = source;
        this.claims = claims;
        this.settings = config.redrive();
        this.config = config;
        this.parts = new RedrivePage.Parts(pipeline, router, new RedriveSchedule(settings),
                RouteSelector.of(config.errorRouting()), config.streams().unrecoverable(), gate, clock, log);
        this.metrics = metrics;
        this.clock = clock;
        this.log = log;
    }

    public RedriveReport run(Deadline deadline) {
        List<RedriveTotals> totals = new ArrayList<>();
        List<Metric> pending = new ArrayList<>();
        for (String stream : settings.streams()) {
            RedriveTotals t = runStream(stream, deadline);
            totals.add(t);
            if (t.counted()) {
                pending.add(RedrivePending.of(t.stream(), t.pending(), clock.instant()));
            }
        }
        if (!pending.isEmpty()) {
            metrics.publish(pending);
        }
        return RedriveReport.of(totals);
    }

    private RedriveTotals runStream(String stream, Deadline deadline) {
        long start = System.nanoTime();
        RedrivePage.Counts counts = new RedrivePage.Counts();
        String outcome;
        PassClaims held = new PassClaims(claims, stream, log);
        try (held; RedriveSource.Reading reading = source.open(stream, settings.group())) {
            outcome = read(stream, reading, held, counts, deadline);
        } catch (StreamUnavailableException e) {
            log.error("redrive.stream_unavailable").streamId(stream).status(e.status()).code(e.serviceCode()).write();
            outcome = RedriveTotals.UNAVAILABLE;
        } catch (RoutingFailedException e) {
            log.error("redrive.routing_failed").streamId(stream).reason(e.getMessage()).write();
            outcome = RedriveTotals.ROUTING_FAILED;
        } catch (StateUnavailableException | StateConflictException e) {
            // the held keys could not be read or written: nothing of the page is committed, the next pass reads it
            log.error("redrive.state_unavailable").streamId(stream).code(e.getClass().getSimpleName()).write();
            outcome = RedriveTotals.UNAVAILABLE;
        }
        boolean more = outcome.equals(RedriveTotals.TIME_RAN_OUT) || outcome.equals(RedriveTotals.PARTITION_BUSY);
        RedriveTotals t = new RedriveTotals(config.streamName(stream), stream, counts.read, counts.delivered,
                counts.reappended, counts.deadLettered, counts.unrecoverable, counts.reappended + (more ? 1 : 0),
                outcome);
        log.info("redrive.done").stream(t.stream()).streamId(stream).count("read", t.read())
                .count("delivered", t.delivered()).count("reappended", t.reappended())
                .count("deadLettered", t.deadLettered()).count("unrecoverable", t.unrecoverable())
                .count("pending", t.pending()).count("alreadySettled", held.alreadySettled()).outcome(outcome).durationMs((System.nanoTime() - start) / 1_000_000)
                .write();
        return t;
    }

    private String read(String stream, RedriveSource.Reading reading, PassClaims held, RedrivePage.Counts counts,
                        Deadline deadline) {
        if (!reading.holdsPartitions()) {
            return RedriveTotals.NOT_ASSIGNED;
        }
        RedrivePage pages = new RedrivePage(parts, stream, deadline);
        String outcome = RedriveTotals.REACHED_TIP;
        while (true) {
            if (deadline.remaining().compareTo(MIN_PAGE_TIME) < 0) {
                outcome = RedriveTotals.TIME_RAN_OUT;
                break;
            }
            List<RedriveSource.Message> page = reading.next();
            if (page.isEmpty()) {
                break;
            }
            List<RedriveSource.Message> todo = held.toSettle(page);
            if (!todo.isEmpty()) {
                held.record(todo, pages.settle(todo, counts));
            }
            if (held.mayCommit()) {
                // every message of the page is delivered or its append acknowledged, and recorded: only now may
                // the group move on
                reading.commit();
            } else if (held.nothingHeld()) {
                break;
            }
            if (reading.reachedTip()) {
                break;
            }
        }
        // a skipped partition's messages are read again by the next pass, so nothing after them was committed
        return held.mayCommit() ? outcome : RedriveTotals.PARTITION_BUSY;
    }
}
