package dev.datasync.local.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.fnhost.FunctionInvoker;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Functions target: POSTs the batch to the function as Service Connector Hub does — a JSON array of
 * {@code {stream, partition, key, value, offset, timestamp}} with key and value base64 (key null when absent) and
 * the stream's name in {@code stream}. Any answer other than success (function error 502, time-out 504, no
 * capacity) fails the batch, so it is redelivered.
 */
public final class FunctionSink implements BatchSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionInvoker function;

    public FunctionSink(FunctionInvoker function) {
        this.function = function;
    }

    @Override
    public void deliver(String streamName, String partition, List<Message> batch) throws Exception {
        FunctionResponse r = function.invoke(new FunctionRequest(headers(), body(streamName, batch)));
        if (!r.succeeded()) {
            throw new IllegalStateException("function answered " + r.platformStatus());
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
