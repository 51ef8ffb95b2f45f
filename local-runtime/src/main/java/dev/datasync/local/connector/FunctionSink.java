package dev.datasync.local.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.fnhost.FunctionInvoker;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.shared.log.LogFields;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Functions target: POSTs the batch to the function as Service Connector Hub does — a JSON array of
 * {@code {stream, partition, key, value, offset, timestamp}} with key and value base64 (key null when absent) and
 * the stream's name in {@code stream}. Any answer other than success (function error 502, time-out 504, no
 * capacity) fails the batch, so it is redelivered — after a time-out, only once the timed-out call has really ended.
 */
public final class FunctionSink implements BatchSink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RuntimeLog LOG = RuntimeLog.of("connector");
    static final Duration WAIT_LOG_INTERVAL = Duration.ofSeconds(30);

    private final FunctionInvoker function;

    public FunctionSink(FunctionInvoker function) {
        this.function = function;
    }

    @Override
    public void deliver(String streamName, String partition, List<Message> batch) throws Exception {
        FunctionResponse r = function.invoke(new FunctionRequest(headers(), body(streamName, batch)));
        if (!r.succeeded()) {
            awaitCallEnd(r, streamName, partition, batch);
            throw new IllegalStateException("function answered " + r.platformStatus());
        }
    }

    /**
     * A timed-out call may still be running in its container (a JVM thread cannot be killed). Redelivering the
     * batch meanwhile would run it twice side by side: per-key order broken, and a message both delivered by the
     * old call and routed by the new one. So the batch is failed only once that call has really ended; the
     * partition waits (logged every {@link #WAIT_LOG_INTERVAL}), the other partitions go on.
     */
    private static void awaitCallEnd(FunctionResponse r, String streamName, String partition, List<Message> batch)
            throws InterruptedException {
        long since = System.nanoTime();
        while (true) {
            try {
                r.callEnded().get(WAIT_LOG_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                LOG.warn("waiting_for_timed_out_call", LogFields.STREAM, streamName, LogFields.PARTITION, partition,
                        "firstOffset", batch.get(0).getOffset(), "waitingMs", (System.nanoTime() - since) / 1_000_000);
            } catch (ExecutionException ignored) {
                return; // ended (callEnded never fails, but an ended call is all that matters)
            }
        }
    }

    private static Map<String, List<String>> headers() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("Content-Type", List.of("application/json"));
        h.put("Fn-Invoke-Type", List.of("sync"));
        return h;
    }

    static byte[] body(String streamName, List<Message> batch) throws Exception {
        Base64.Encoder b64 = Base64.getEncoder();
        ArrayNode array = JSON.createArrayNode();
        for (Message m : batch) {
            ObjectNode o = array.addObject();
            o.put("stream", m.getStream() != null ? m.getStream() : streamName);
            o.put("partition", m.getPartition());
            if (m.getKey() == null) {
                o.putNull("key");
            } else {
                o.put("key", b64.encodeToString(m.getKey()));
            }
            o.put("value", b64.encodeToString(m.getValue() == null ? new byte[0] : m.getValue()));
            o.put("offset", m.getOffset());
            o.put("timestamp", m.getTimestamp() == null ? null : Instant.ofEpochMilli(m.getTimestamp().getTime())
                    .toString());
        }
        return JSON.writeValueAsBytes(array);
    }
}
