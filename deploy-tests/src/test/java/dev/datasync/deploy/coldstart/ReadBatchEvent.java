package dev.datasync.deploy.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

/**
 * A ReadDataStream invocation as Service Connector Hub makes it, in the event format of {@code CdsTraining}: one
 * batch of DataSyncStream messages (the connector's JSON array, base64 key and value) to one target, with the
 * function configuration given. Each message is an order of about half a kilobyte, on one of 100 streamKeys.
 */
final class ReadBatchEvent {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEYS = 100;

    private ReadBatchEvent() {
    }

    static Path write(Path dir, String name, int messages, String targetUrl, Map<String, String> config)
            throws IOException {
        Base64.Encoder b64 = Base64.getEncoder();
        ArrayNode batch = JSON.createArrayNode();
        for (int i = 0; i < messages; i++) {
            String key = "order-" + (i % KEYS);
            ObjectNode payload = JSON.createObjectNode().put("orderid", name + "-" + i).put("customer", key)
                    .put("currency", "EUR").put("total", 1234.5 + i)
                    .put("note", "x".repeat(300));
            ObjectNode value = JSON.createObjectNode().put("targetRestApi", targetUrl)
                    .put("targetRestApiOperation", "POST");
            value.set("targetRestApiPayload", payload);
            value.set("targetRestApiHeaders", JSON.createArrayNode().add(JSON.createObjectNode()
                    .put("key", "Content-Type").put("value", "application/json")));
            value.put("syncId", name + "-" + i);
            batch.add(JSON.createObjectNode().put("stream", "DataSyncStream").put("partition", "0")
                    .put("key", b64.encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                    .put("value", b64.encodeToString(JSON.writeValueAsBytes(value)))
                    .put("offset", i).put("timestamp", "2026-12-07T06:00:00.000Z"));
        }
        Properties event = new Properties();
        event.setProperty("header.Content-Type", "application/json");
        event.setProperty("body", JSON.writeValueAsString(batch));
        config.forEach((k, v) -> event.setProperty("config." + k, v));
        Path file = dir.resolve("batch-" + name + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            event.store(w, "ReadDataStream batch of " + messages);
        }
        return file;
    }
}
