package dev.datasync.local.connector;

import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import dev.datasync.local.oci.LocalOciClients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one partition of a stream into batches closed by a {@link BatchPolicy}, with a plain cursor; remembers the
 * last offset read to rebuild an expired or refused cursor.
 */
final class PartitionReader {

    /** OCI allows 5 GetMessages per second per partition and consumer group: poll an idle partition at that rate. */
    private static final Duration IDLE_POLL = Duration.ofMillis(200);

    private final LocalOciClients clients;
    private final String streamId;
    private final String partition;
    private final BatchPolicy policy;
    private final StopSignal stop;
    private final ReadFailureLog failures;
    private Long readAfter;
    private String cursor;

    /** @param committed the last offset handed over, or null to start at the stream's trim horizon */
    PartitionReader(LocalOciClients clients, String streamId, String partition, BatchPolicy policy, Long committed,
                    StopSignal stop, String connector, String streamName) {
        this.clients = clients;
        this.streamId = streamId;
        this.partition = partition;
        this.policy = policy;
        this.readAfter = committed;
        this.stop = stop;
        this.failures = new ReadFailureLog(connector, streamName, partition, () -> readAfter);
    }

    /** The next batch; empty only when stopping. */
    List<Message> nextBatch() {
        List<Message> batch = new ArrayList<>();
        long bytes = 0;
        long firstAt = 0;
        while (stop.running()) {
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
                stop.pause(IDLE_POLL.toMillis() * 5);
                continue;
            }
            failures.recovered();
            for (Message m : got) {
                batch.add(m);
                bytes += m.getValue() == null ? 0 : m.getValue().length;
                readAfter = m.getOffset();
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
                stop.pause(sleep);
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
