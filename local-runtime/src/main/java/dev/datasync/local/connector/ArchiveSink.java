package dev.datasync.local.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.ExactJson;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * Error stream → archive bucket: each batch (closed by the rollover size or time) becomes one JSON-lines object,
 * one line per message: {@code {stream, partition, offset, timestamp, key, value}} with the routed envelope as
 * JSON in {@code value}, its payload as the caller sent it (base64 in {@code valueBase64} if it is not JSON). The
 * object name is derived from the stream, partition and the batch's FIRST offset only: after a crash the batch is
 * redelivered from the same committed position, so it starts at the same offset and overwrites the same object even
 * when it closes at a different last offset (more messages arrived meanwhile) — no message is archived in two
 * objects.
 */
public final class ArchiveSink implements BatchSink {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final ObjectStorage objectStorage;
    private final String namespace;
    private final String bucket;
    private final String prefix;

    /** @param prefix object name prefix, e.g. {@code error-archive/serviceUnavailable} (as in Terraform) */
    public ArchiveSink(ObjectStorage objectStorage, String namespace, String bucket, String prefix) {
        this.objectStorage = objectStorage;
        this.namespace = namespace;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public void deliver(String streamName, String partition, List<Message> batch) throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        for (Message m : batch) {
            lines.write(JSON.writeValueAsBytes(line(streamName, m)));
            lines.write('\n');
        }
        byte[] body = lines.toByteArray();
        Message first = batch.get(0);
        String name = objectName(streamName, partition, first);
        objectStorage.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(bucket)
                .objectName(name).contentType("application/x-ndjson").contentLength((long) body.length)
                .putObjectBody(new ByteArrayInputStream(body)).build());
    }

    /** The day folder comes from the first message too, so a redelivery lands in the same folder. */
    String objectName(String streamName, String partition, Message first) {
        Instant day = first.getTimestamp() == null ? Instant.EPOCH : first.getTimestamp().toInstant();
        return String.format("%s/%s/%s-p%s-%020d.jsonl", prefix, DAY.format(day), streamName, partition,
                first.getOffset());
    }

    private static ObjectNode line(String streamName, Message m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("stream", m.getStream() != null ? m.getStream() : streamName);
        o.put("partition", m.getPartition());
        o.put("offset", m.getOffset());
        o.put("timestamp", m.getTimestamp() == null ? null : m.getTimestamp().toInstant().toString());
        if (m.getKey() == null) {
            o.putNull("key");
        } else {
            o.put("key", Base64.getEncoder().encodeToString(m.getKey()));
        }
        try {
            // the payload as the caller sent it, like the envelope the error stream holds
            JsonNode v = ExactJson.parse(m.getValue(), StreamMessage.TARGET_REST_API_PAYLOAD);
            if (v == null || v.isMissingNode()) {
                throw new IllegalArgumentException("empty");
            }
            o.set("value", v);
        } catch (Exception notJson) {
            o.put("valueBase64", Base64.getEncoder().encodeToString(m.getValue()));
        }
        return o;
    }
}
