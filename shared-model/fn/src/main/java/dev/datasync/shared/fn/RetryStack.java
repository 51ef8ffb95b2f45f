package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.ConsumerGroupSource;
import dev.datasync.shared.oci.OciErrorStreamReader;
import dev.datasync.shared.oci.PartitionReader;
import dev.datasync.shared.redrive.KeyOrderGate;
import dev.datasync.shared.redrive.RedrivePass;
import dev.datasync.shared.redrive.RedriveSource;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.replay.ReplayMarks;
import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.shared.retry.RetryService;
import dev.datasync.shared.state.StateObjects;

import java.time.Clock;
import java.util.HashSet;
import java.util.UUID;

/**
 * Composition root of Retry: the {@link DeliveryStack} plus the request reader, the replay service reading the
 * error streams through Streaming (with the partition leases and replay marks in the state objects), and the
 * redrive pass reading them through the consumer group {@code redrive_group} under this container's own instance
 * name, built once per container.
 */
public final class RetryStack implements AutoCloseable {

    private final DeliveryStack delivery;
    private final RetryRequestReader requests;
    private final PartitionLease leases;
    private final PartitionClaims claims;
    private final RetryService service;
    private final RedrivePass redrive;

    public RetryStack(DeliveryStack delivery, JsonLog log) {
        this(delivery, new ConsumerGroupSource(delivery.clients().stream(), instanceName()), log);
    }

    /** @param redriveSource where the redrive pass reads (a test may put a fault in between) */
    public RetryStack(DeliveryStack delivery, RedriveSource redriveSource, JsonLog log) {
        this.delivery = delivery;
        this.requests = requestReader(delivery.config());
        this.leases = new PartitionLease(delivery.stateObjects(), Clock.systemUTC(), log);
        this.claims = new PartitionClaims(leases, new ReplayMarks(delivery.stateObjects(), log));
        this.service = new RetryService(new OciErrorStreamReader(new PartitionReader(delivery.clients().stream())),
                delivery.pipeline(), delivery.defaultRoutes(), claims, log);
        this.redrive = new RedrivePass(delivery.config(), redriveSource, claims, delivery.pipeline(),
                delivery.router(), new KeyOrderGate(delivery.ordering()), delivery.clock(), log);
    }

    /**
     * This container's name in the redrive's consumer group: the same for every pass it runs, so the group keeps
     * its partitions with it between passes; another container has its own.
     */
    static String instanceName() {
        return "redrive-" + UUID.randomUUID();
    }

    public static RetryStack create(DataSyncConfig config, JsonLog log) {
        return new RetryStack(DeliveryStack.create(config, log), log);
    }

    /** Reads retry requests: the configured retryable streams may be replayed, errormapping may name only them and
     * the streams the application routes to. */
    public static RetryRequestReader requestReader(DataSyncConfig config) {
        return new RetryRequestReader(config.retryableStreams(),
                new HashSet<>(config.errorRouting().routes().values()));
    }

    public DeliveryStack delivery() {
        return delivery;
    }

    /** The container's state objects ({@code state_bucket}), shared with its delivery stack. */
    public StateObjects stateObjects() {
        return delivery.stateObjects();
    }

    public RetryRequestReader requests() {
        return requests;
    }

    /** The container's partition leases and replay marks (manual replays and the redrive pass share them). */
    public PartitionClaims claims() {
        return claims;
    }

    public RetryService service() {
        return service;
    }

    public RedrivePass redrive() {
        return redrive;
    }

    @Override
    public void close() {
        leases.close();
        delivery.close();
    }
}
