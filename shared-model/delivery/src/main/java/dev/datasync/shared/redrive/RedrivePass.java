package dev.datasync.shared.redrive;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.RedriveSettings;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.replay.PartitionBusyException;
import dev.datasync.shared.replay.PartitionClaim;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.retry.RetryService;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One automatic redrive pass over every stream of {@code redrive_stream_ocids}: each is read through the consumer
 * group {@code redrive_group} ({@link RedriveSource}) up to its end as it was when the pass began, page by page
 * ({@link RedrivePage}: due messages delivered through the same {@link BatchPipeline} as ReadDataStream, the others
 * copied forward, re-appended with their next slot or dead-lettered), and the group is committed after each page
 * once every message of it is placed — so a crash mid-pass loses nothing: the next pass reads the uncommitted page
 * again (its deliveries repeat under the same Idempotency-Key, its copies may be appended twice).
 * <p>
 * The pass stops reading when less than {@link #MIN_PAGE_TIME} of the function's time is left and commits what is
 * settled. It records {@code redrive.pending} for every stream it read, with what its pages delivered, routed and
 * dead-lettered, and publishes them once at the end of the pass ({@link PipelineMetrics}). Thread-safe; one per container.
 * <p>
 * Like a manual replay, the pass claims each partition it reads ({@link PartitionClaims}: the partition's lease and
 * its replay marks): a replay and the pass never work on one partition at once (a partition a replay holds is left
 * for the next pass), the pass leaves alone what a replay already delivered or moved, and records what it settled
 * before it commits, so a later replay of that range sends none of it again.
 */
public final class RedrivePass {

    /** Below this much time left no further page is read: delivering it would mostly copy it forward untried. */
    static final Duration MIN_PAGE_TIME = Duration.ofSeconds(2);

    private final RedriveSource source;
    private final PartitionClaims claims;
    private final RedriveSettings settings;
    private final RedrivePage.Parts parts;
    private final DataSyncConfig config;
    private final PipelineMetrics metrics;
    private final RedrivePending pending;
    private final JsonLog log;

    public RedrivePass(DataSyncConfig config, RedriveSource source, PartitionClaims claims, BatchPipeline pipeline,
                       ErrorStreamRouter router, OrderGate gate, Clock clock, JsonLog log) {
        this.source = source;
        this.claims = claims;
        this.settings = config.redrive();
        this.config = config;
        this.parts = new RedrivePage.Parts(pipeline, router, new RedriveSchedule(settings),
                RouteSelector.of(config.errorRouting()), config.streams().unrecoverable(), gate, clock, log);
        this.metrics = pipeline.metrics();
        this.pending = new RedrivePending(config, metrics);
        this.log = log;
    }

    public RedriveReport run(Deadline deadline) {
        List<RedriveTotals> totals = new ArrayList<>();
        try {
            for (String stream : settings.streams()) {
                RedriveTotals t = runStream(stream, deadline);
                totals.add(t);
                if (t.counted()) {
                    pending.record(t.stream(), t.pending());
                }
            }
        } finally {
            metrics.publish();
        }
        return RedriveReport.of(totals);
    }

    private RedriveTotals runStream(String stream, Deadline deadline) {
        long start = System.nanoTime();
        RedrivePage.Counts counts = new RedrivePage.Counts();
        String outcome;
        try (RedriveSource.Reading reading = source.open(stream, settings.group())) {
            outcome = read(stream, reading, counts, deadline);
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
        boolean more = outcome.equals(RedriveTotals.TIME_RAN_OUT);
        RedriveTotals t = new RedriveTotals(config.streamName(stream), stream, counts.read, counts.delivered,
                counts.reappended, counts.deadLettered, counts.unrecoverable, counts.alreadySettled,
                counts.reappended + (more ? 1 : 0), outcome);
        log.info("redrive.done").stream(t.stream()).streamId(stream).count("read", t.read())
                .count("delivered", t.delivered()).count("reappended", t.reappended())
                .count("deadLettered", t.deadLettered()).count("unrecoverable", t.unrecoverable())
                .count("alreadySettled", t.alreadySettled())
                .count("pending", t.pending()).outcome(outcome).durationMs((System.nanoTime() - start) / 1_000_000)
                .write();
        return t;
    }

    private String read(String stream, RedriveSource.Reading reading, RedrivePage.Counts counts, Deadline deadline) {
        if (!reading.holdsPartitions()) {
            return RedriveTotals.NOT_ASSIGNED;
        }
        Map<String, PartitionClaim> held = new HashMap<>();
        try {
            for (String partition : reading.partitions()) {
                held.put(partition, claims.take(stream, partition, PartitionLease.newHolder("redrive"),
                        RetryService.LEASE_TTL));
            }
            return readClaimed(stream, reading, held, counts, deadline);
        } catch (PartitionBusyException e) {
            log.info("redrive.busy").streamId(stream).reason(e.getMessage()).write();
            return RedriveTotals.BUSY;
        } finally {
            held.values().forEach(PartitionClaim::close);
        }
    }

    private String readClaimed(String stream, RedriveSource.Reading reading, Map<String, PartitionClaim> held,
                               RedrivePage.Counts counts, Deadline deadline) {
        RedrivePage pages = new RedrivePage(parts, stream, held, deadline);
        while (true) {
            if (deadline.remaining().compareTo(MIN_PAGE_TIME) < 0) {
                return RedriveTotals.TIME_RAN_OUT;
            }
            if (!held.values().stream().allMatch(PartitionClaim::held)) {
                return RedriveTotals.LEASE_LOST;
            }
            List<RedriveSource.Message> page = reading.next();
            if (page.isEmpty()) {
                return RedriveTotals.REACHED_TIP;
            }
            // delivered or appended, and recorded in the partitions' marks
            pages.settle(page, counts);
            // every message of the page is delivered or its append acknowledged: only now may the group move on
            reading.commit();
            if (reading.reachedTip()) {
                return RedriveTotals.REACHED_TIP;
            }
        }
    }
}
