package dev.datasync.local.connector;

import dev.datasync.shared.log.LogFields;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.oci.LocalOciClients;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Service Connector Hub with a Streaming source: reads every partition of one stream ({@link PartitionReader}) and
 * hands batches to a {@link BatchSink}. One batch in flight per partition; the partition's read position is
 * committed (durably, in {@link PositionStore}) only after the sink took the batch; a failed batch is offered
 * again, unchanged, after an exponential backoff, and nothing behind it in that partition moves meanwhile. A
 * restart resumes from the committed positions, so delivery is at-least-once: a crash between hand-over and commit
 * redelivers that batch.
 */
public final class StreamConnector implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("connector");

    private final String name;
    private final String streamId;
    private final LocalOciClients clients;
    private final BatchSink sink;
    private final BatchPolicy policy;
    private final EqualJitterBackoff backoff;
    private final PositionStore positions;
    private final StopSignal stop = new StopSignal();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong batchesDelivered = new AtomicLong();
    private final AtomicLong messagesDelivered = new AtomicLong();
    private volatile String streamName = "";

    public StreamConnector(String name, String streamId, LocalOciClients clients, BatchSink sink, BatchPolicy policy,
                           EqualJitterBackoff backoff, PositionStore positions) {
        this.name = name;
        this.streamId = streamId;
        this.clients = clients;
        this.sink = sink;
        this.policy = policy;
        this.backoff = backoff;
        this.positions = positions;
    }

    /** Looks up the stream's partitions and starts one reader per partition. */
    public StreamConnector start() {
        var stream = clients.streamAdmin().getStream(GetStreamRequest.builder().streamId(streamId).build())
                .getStream();
        streamName = stream.getName();
        for (int p = 0; p < stream.getPartitions(); p++) {
            String partition = Integer.toString(p);
            Thread t = new Thread(() -> runPartition(partition), "connector-" + name + "-p" + partition);
            t.setDaemon(true);
            workers.add(t);
        }
        workers.forEach(Thread::start);
        LOG.info("connector_started", "connector", name, LogFields.STREAM, streamName, "partitions", workers.size(),
                "committed", positions.snapshot().toString());
        return this;
    }

    private void runPartition(String partition) {
        PartitionReader reader = new PartitionReader(clients, streamId, partition, policy,
                positions.committed(partition).orElse(null), stop, name, streamName);
        List<Message> pending = null;
        int failures = 0;
        while (stop.running()) {
            if (pending == null) {
                pending = reader.nextBatch();
                if (pending.isEmpty()) {
                    pending = null;
                    continue;
                }
            }
            try {
                sink.deliver(streamName, partition, pending);
                long last = pending.get(pending.size() - 1).getOffset();
                positions.commit(partition, last);
                batchesDelivered.incrementAndGet();
                messagesDelivered.addAndGet(pending.size());
                if (failures > 0) {
                    LOG.info("batch_delivered_after_retry", "connector", name, LogFields.PARTITION, partition,
                            LogFields.ATTEMPT, failures + 1, "lastOffset", last);
                }
                pending = null;
                failures = 0;
            } catch (Exception e) {
                failures++;
                long delay = backoff.delayMillis(failures);
                LOG.warn("batch_failed", "connector", name, LogFields.PARTITION, partition, "firstOffset",
                        pending.get(0).getOffset(), "messages", pending.size(), LogFields.ATTEMPT, failures,
                        LogFields.REASON, describe(e), "retryInMs", delay);
                stop.pause(delay);
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof BmcException b) {
            return b.getStatusCode() + " " + b.getServiceCode();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Stops reading; a batch being handed over finishes (and is committed) first. */
    @Override
    public void close() {
        stop.raise();
        for (Thread t : workers) {
            try {
                t.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sink.close();
        LOG.info("connector_stopped", "connector", name, "batches", batchesDelivered.get(), "messages",
                messagesDelivered.get(), "committed", positions.snapshot().toString());
    }
}
