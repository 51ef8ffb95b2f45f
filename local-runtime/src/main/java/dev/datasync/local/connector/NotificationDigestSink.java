package dev.datasync.local.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.ons.NotificationDataPlane;
import com.oracle.bmc.ons.model.MessageDetails;
import com.oracle.bmc.ons.requests.PublishMessageRequest;
import com.oracle.bmc.streaming.model.Message;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Error stream → Notifications topic, as a digest: one PublishMessage per stream and batch interval with how many
 * messages were routed and their codes ({@code lastError.status}, or {@code lastError.kind} such as
 * {@code network}/{@code invalid}), and the offset range to look at. Never a payload, target or token: a
 * notification goes to e-mail and chat, the archive bucket keeps the messages.
 */
public final class NotificationDigestSink implements BatchSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationDataPlane notifications;
    private final String topicId;

    public NotificationDigestSink(NotificationDataPlane notifications, String topicId) {
        this.notifications = notifications;
        this.topicId = topicId;
    }

    @Override
    public void deliver(String streamName, String partition, List<Message> batch) throws Exception {
        Map<String, Integer> codes = new TreeMap<>();
        for (Message m : batch) {
            codes.merge(codeOf(m.getValue()), 1, Integer::sum);
        }
        ObjectNode digest = JSON.createObjectNode();
        digest.put("stream", streamName);
        digest.put("partition", partition);
        digest.put("messages", batch.size());
        ObjectNode c = digest.putObject("codes");
        codes.forEach(c::put);
        digest.put("fromOffset", batch.get(0).getOffset());
        digest.put("toOffset", batch.get(batch.size() - 1).getOffset());
        digest.put("firstAt", instant(batch.get(0)));
        digest.put("lastAt", instant(batch.get(batch.size() - 1)));
        String title = "datasync: " + batch.size() + " message" + (batch.size() == 1 ? "" : "s") + " routed to "
                + streamName;
        notifications.publishMessage(PublishMessageRequest.builder().topicId(topicId)
                .messageDetails(MessageDetails.builder().title(title).body(JSON.writeValueAsString(digest)).build())
                .build());
    }

    private static String instant(Message m) {
        return m.getTimestamp() == null ? null : Instant.ofEpochMilli(m.getTimestamp().getTime()).toString();
    }

    /** The routing code of one routed envelope; "unreadable" if it is not the envelope we expect. */
    static String codeOf(byte[] value) {
        try {
            JsonNode err = JSON.readTree(value).path("lastError");
            if (err.hasNonNull("status")) {
                return err.get("status").asText();
            }
            if (err.hasNonNull("kind")) {
                return err.get("kind").asText();
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "unreadable";
    }
}
