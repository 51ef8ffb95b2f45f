package dev.datasync.localoci.notifications;

import com.oracle.bmc.ons.model.MessageDetails;
import com.oracle.bmc.ons.model.NotificationTopic;
import com.oracle.bmc.ons.model.PublishResult;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;

/**
 * Notifications (API 20181201): PublishMessage (data plane) and GetTopic (control plane, for its
 * {@code apiEndpoint}). A published message is stored with its deliveries before the answer, so an accepted
 * message always reaches its sinks (at least once).
 */
final class NotificationsApi {
    /** SDK javadoc of PublishMessage: a message is at most 64 KB. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final ServiceContext ctx;
    private final TopicRepository topics;
    private final DeliveryWorker worker;

    NotificationsApi(ServiceContext ctx, TopicRepository topics, DeliveryWorker worker) {
        this.ctx = ctx;
        this.topics = topics;
        this.worker = worker;
    }

    void register(Router router) {
        router.post("/20181201/topics/{topicId}/messages", "PublishMessage", this::publish)
                .get("/20181201/topics/{topicId}", "GetTopic", this::getTopic);
    }

    private TopicRepository.Topic topic(Request request) {
        String id = request.path("topicId");
        TopicRepository.Topic topic = topics.findTopic(id);
        if (topic == null) {
            throw OciException.notFound("Topic " + id + " not found or not authorized");
        }
        return topic;
    }

    private Response publish(Request request) {
        TopicRepository.Topic topic = topic(request);
        MessageDetails details = request.bodyAs(MessageDetails.class);
        if (details.getBody() == null) {
            throw OciException.missingParameter("body is required");
        }
        String messageType = request.header("messageType");
        if (messageType != null) {
            messageType = messageType.toUpperCase(Locale.ROOT);
            if (!messageType.equals("JSON") && !messageType.equals("RAW_TEXT")) {
                throw OciException.invalidParameter("messageType must be JSON or RAW_TEXT");
            }
        }
        int size = details.getBody().getBytes(StandardCharsets.UTF_8).length
                + (details.getTitle() == null ? 0 : details.getTitle().getBytes(StandardCharsets.UTF_8).length);
        if (size > MAX_MESSAGE_BYTES) {
            throw OciException.invalidParameter("The message exceeds the maximum size of " + MAX_MESSAGE_BYTES + " bytes");
        }
        long now = ctx.clock().millis();
        String messageId = UUID.randomUUID().toString();
        topics.publish(new TopicRepository.Message(messageId, topic.id(), details.getTitle(), details.getBody(),
                messageType, now), System.currentTimeMillis());
        worker.deliverNow(messageId);
        return Response.json(202, PublishResult.builder().messageId(messageId).timeStamp(new Date(now)).build());
    }

    private Response getTopic(Request request) {
        TopicRepository.Topic topic = topic(request);
        return Response.json(NotificationTopic.builder()
                .topicId(topic.id())
                .name(topic.name())
                .compartmentId(topic.compartmentId())
                .lifecycleState(NotificationTopic.LifecycleState.Active)
                .timeCreated(new Date(topic.timeCreatedMillis()))
                .apiEndpoint(ctx.baseUrl())
                .etag(topic.id())
                .build());
    }
}
