package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.ExactJson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the stored copies of one message in a stream: every retained message of every partition, read through the
 * Streaming API (GetStream, cursors, GetMessages); a cheap byte search for the syncId comes before any parse.
 */
final class StreamScan {

    private final StreamInspector streams;

    StreamScan(StreamInspector streams) {
        this.streams = streams;
    }

    List<StoredCopy> copiesOf(String syncId, String streamName, String streamId) {
        List<StoredCopy> out = new ArrayList<>();
        byte[] needle = syncId.getBytes(StandardCharsets.UTF_8);
        int partitions = streams.get(streamId).getPartitions();
        for (int p = 0; p < partitions; p++) {
            for (Message m : streams.read(streamId, Integer.toString(p), null, Integer.MAX_VALUE)) {
                if (m.getValue() == null || indexOf(m.getValue(), needle) < 0) {
                    continue;
                }
                ObjectNode value = parse(m.getValue());
                JsonNode id = value == null ? null : value.get(StreamMessage.SYNC_ID);
                if (id != null && id.isTextual() && id.asText().equals(syncId)) {
                    out.add(new StoredCopy(streamName, streamId, m.getPartition(), m.getOffset(),
                            m.getTimestamp() == null ? null : m.getTimestamp().toInstant(), value));
                }
            }
        }
        return out;
    }

    private static ObjectNode parse(byte[] value) {
        try {
            JsonNode n = ExactJson.parse(value, StreamMessage.TARGET_REST_API_PAYLOAD);
            return n instanceof ObjectNode o ? o : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
