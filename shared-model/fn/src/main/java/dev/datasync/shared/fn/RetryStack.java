package dev.datasync.shared.fn;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.ConsumerGroupSource;
import dev.datasync.shared.oci.OciErrorStreamReader;
import dev.datasync.shared.oci.PartitionReader;
import dev.datasync.shared.redrive.OrderGate;
import dev.datasync.shared.redrive.RedrivePass;
import dev.datasync.shared.redrive.RedriveSource;
import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.shared.retry.RetryService;

import java.util.HashSet;
import java.util.UUID;

/**
 * Composition root of Retry: the {@link DeliveryStack} plus the request reader, the replay service reading the
 * error streams through Streaming, and the redrive pass reading them through the consumer group
 * {@code redrive_group} under this container's own instance name, built once per container.
 */
public final class RetryStack implements AutoCloseable {

    private final DeliveryStack delivery;
    private final RetryRequestReader requests;
    private final RetryService service;
    private final RedrivePass redrive;

    public RetryStack(DeliveryStack delivery, JsonLog log) {
        this(delivery, new ConsumerGroupSource(delivery.clients().stream(), instanceName()), log);
    }

    /** @param redriveSource where the redrive pass reads (a test may put a fault in between) */
    public RetryStack(DeliveryStack delivery, RedriveSource redriveSource, JsonLog log) {
        this.delivery = delivery;
        this.requests = requestReader(delivery.config());
        this.service = new RetryService(new OciErrorStreamReader(new PartitionReader(delivery.clients().stream())),
                delivery.pipeline(), delivery.defaultRoutes(), log);
        this.redrive = new RedrivePass(delivery.config(), redriveSource, delivery.pipeline(), delivery.router(),
                OrderGate.NONE, delivery.metrics(), delivery.clock(), log);
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

    public RetryRequestReader requests() {
        return requests;
    }

    public RetryService service() {
        return service;
    }

    public RedrivePass redrive() {
        return redrive;
    }

    @Override
    public void close() {
        delivery.close();
    }
}
