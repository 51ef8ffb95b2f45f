package dev.datasync.local.connector;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.shared.log.LogFields;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Service Connector Hub with a Streaming source: reads every partition of one stream and hands batches to a
 * {@link BatchSink}. One batch in flight per partition; the partition's read position is committed (durably, in
 * {@link PositionStore}) only after the sink took the batch; a failed batch is offered again, unchanged, after an
 * exponential backoff, and nothing behind it in that partition moves meanwhile. A restart resumes from the
 * committed positions, so delivery is at-least-once: a crash between hand-over and commit redelivers that batch.
 */
public final class StreamConnector implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("connector");
    /** OCI allows 5 GetMessages per second per partition and consumer group: poll an idle partition at that rate. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);
    /** A partition whose reads keep failing logs one line per this interval, not one per attempt. */
    static final Duration READ_FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);

    private final String name;
    private final String streamId;
    private final LocalOciClients clients;
    private final BatchSink sink;
    private final BatchPolicy policy;
    private final EqualJitterBackoff backoff;
    private final PositionStore positions;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, Long> lastRead = new ConcurrentHashMap<>();
    private final AtomicLong batchesDelivered = new AtomicLong();
    private final AtomicLong messagesDelivered = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile String lastFailure = "";
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

    public String name() {
        return name;
    }

    public long batchesDelivered() {
        return batchesDelivered.get();
    }

    public long messagesDelivered() {
        return messagesDelivered.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    public Map<String, Long> committedPositions() {
        return positions.snapshot();
    }

    private boolean running() {
        return stop.getCount() > 0;
    }

    /** Sleeps unless stopping; true if still running afterwards. */
    private boolean pause(long millis) {
        try {
            return !stop.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void runPartition(String partition) {
        PartitionReader reader = new PartitionReader(partition, positions.committed(partition).orElse(null));
        List<Message> pending = null;
        int failures = 0;
        while (running()) {
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
                failedAttempts.incrementAndGet();
                lastFailure = describe(e);
                long delay = backoff.delayMillis(failures);
                LOG.warn("batch_failed", "connector", name, LogFields.PARTITION, partition, "firstOffset",
                        pending.get(0).getOffset(), "messages", pending.size(), LogFields.ATTEMPT, failures,
                        LogFields.REASON, lastFailure, "retryInMs", delay);
                pause(delay);
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

    /**
     * Logs a partition's read failures: every failure counts, the first of a run is logged at once, then at most
     * one line per {@link #READ_FAILURE_LOG_INTERVAL} (with how many were not logged since), and the recovery.
     */
    private final class ReadFailureLog {
        private final String partition;
        private final java.util.function.Supplier<Long> position;
        private long failures;
        private long unlogged;
        private long lastLoggedNanos;

        ReadFailureLog(String partition, java.util.function.Supplier<Long> position) {
            this.partition = partition;
            this.position = position;
        }

        void failed(RuntimeException e) {
            failures++;
            long now = System.nanoTime();
            if (failures > 1 && now - lastLoggedNanos < READ_FAILURE_LOG_INTERVAL.toNanos()) {
                unlogged++;
                return;
            }
            lastLoggedNanos = now;
            Long after = position.get();
            BmcException b = e instanceof BmcException be ? be : null;
            LOG.warn("read_failed", "connector", name, LogFields.STREAM, streamName, LogFields.PARTITION, partition,
                    LogFields.STATUS, b == null ? -1 : b.getStatusCode(),
                    LogFields.CODE, b == null ? e.getClass().getSimpleName() : b.getServiceCode(),
                    LogFields.REASON, shorten(b == null ? e.getMessage() : b.getUnmodifiedMessage()),
                    "readAfterOffset", after == null ? "TRIM_HORIZON" : after,
                    "failures", failures, "unloggedSinceLast", unlogged);
            unlogged = 0;
        }

        void recovered() {
            if (failures > 0) {
                LOG.info("read_recovered", "connector", name, LogFields.STREAM, streamName,
                        LogFields.PARTITION, partition, "failures", failures);
                failures = 0;
                unlogged = 0;
            }
        }

        private static String shorten(String m) {
            return m == null ? "" : m.length() > 300 ? m.substring(0, 300) : m;
        }
    }

    /** Reads one partition with a plain cursor, remembering the last offset read to rebuild an expired cursor. */
    private final class PartitionReader {
        private final String partition;
        private final ReadFailureLog failures;
        private Long readAfter;
        private String cursor;

        PartitionReader(String partition, Long committed) {
            this.partition = partition;
            this.readAfter = committed;
            this.failures = new ReadFailureLog(partition, () -> readAfter);
        }

        /** The next batch; empty only when stopping. */
        List<Message> nextBatch() {
            List<Message> batch = new ArrayList<>();
            long bytes = 0;
            long firstAt = 0;
            while (running()) {
                List<Message> got;
                try {
                    if (cursor == null) {
                        cursor = createCursor();
                    }
                    int limit = Math.min(policy.maxMessages() - batch.size(), 10_000);
                    GetMessagesResponse r = clients.stream().getMessages(GetMessagesRequest.builder()
                            .streamId(streamId).cursor(cursor).limit(limit).build());
                    cursor = r.getOpcNextCursor();
                    got = r.getItems();
                } catch (RuntimeException e) {
                    // expired/invalid cursor, a position the stream refuses, or local-oci unavailable: rebuild the
                    // cursor from the last offset read and try again; say so, or a partition stuck behind a refused
                    // position (e.g. past the stream's end) would stall without a trace
                    cursor = null;
                    failures.failed(e);
                    pause(IDLE_POLL.toMillis() * 5);
                    continue;
                }
                failures.recovered();
                for (Message m : got) {
                    batch.add(m);
                    bytes += m.getValue() == null ? 0 : m.getValue().length;
                    readAfter = m.getOffset();
                    lastRead.put(partition, readAfter);
                }
                if (!batch.isEmpty() && firstAt == 0) {
                    firstAt = System.nanoTime();
                }
                if (batch.size() >= policy.maxMessages() || bytes >= policy.maxBytes()) {
                    return batch;
                }
                long waitedMs = firstAt == 0 ? 0 : (System.nanoTime() - firstAt) / 1_000_000;
                if (!batch.isEmpty() && waitedMs >= policy.maxWait().toMillis()) {
                    return batch;
                }
                if (got.isEmpty()) {
                    long sleep = IDLE_POLL.toMillis();
                    if (!batch.isEmpty()) {
                        sleep = Math.min(sleep, Math.max(1, policy.maxWait().toMillis() - waitedMs));
                    }
                    pause(sleep);
                }
            }
            // stopping: a partial batch is dropped unread-committed; the restart reads it again
            return List.of();
        }

        private String createCursor() {
            CreateCursorDetails.Builder d = CreateCursorDetails.builder().partition(partition);
            if (readAfter == null) {
                d.type(CreateCursorDetails.Type.TrimHorizon);
            } else {
                d.type(CreateCursorDetails.Type.AfterOffset).offset(readAfter);
            }
            return clients.stream().createCursor(CreateCursorRequest.builder().streamId(streamId)
                    .createCursorDetails(d.build()).build()).getCursor().getValue();
        }
    }

    /** Stops reading; a batch being handed over finishes (and is committed) first. */
    @Override
    public void close() {
        stop.countDown();
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
