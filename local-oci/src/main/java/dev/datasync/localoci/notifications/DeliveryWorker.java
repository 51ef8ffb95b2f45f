package dev.datasync.localoci.notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.support.JsonLog;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers published messages to their subscriptions' local sinks: a JSON line appended to an outbox file, or an
 * HTTP POST of the message body to a webhook on 127.0.0.1. A failed delivery is retried with exponential backoff
 * and ends FAILED after {@link #MAX_ATTEMPTS}. Retry timing uses the wall clock, not the emulator's adjustable
 * clock: it is delivery mechanics (a test that freezes time must still see retries happen), not OCI-visible time.
 */
final class DeliveryWorker implements AutoCloseable {
    static final int MAX_ATTEMPTS = 8;
    static final long FIRST_BACKOFF_MILLIS = 250;
    static final long MAX_BACKOFF_MILLIS = 60_000;
    private static final long POLL_MILLIS = 500;
    private static final ObjectMapper LINE = new ObjectMapper();

    private final TopicRepository topics;
    private final Path dataDir;
    private final HttpClient http;
    private final ScheduledExecutorService thread;
    /** Deliveries being worked on, so the publishing request and the worker never both send one. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<Path, Object> fileLocks = new ConcurrentHashMap<>();

    DeliveryWorker(TopicRepository topics, Path dataDir) {
        this.topics = topics;
        this.dataDir = dataDir;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-oci-notification-delivery");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::runDue, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Delivers a just-published message's OUTBOX copies on the caller's thread, then wakes the worker for webhooks. */
    void deliverNow(String messageId) {
        for (TopicRepository.Delivery d : topics.due(System.currentTimeMillis(), messageId, 1000)) {
            if (d.subscription().protocol().equals(SubscriptionEndpoints.OUTBOX)) {
                attempt(d);
            }
        }
        thread.execute(this::runDue);
    }

    private void runDue() {
        try {
            List<TopicRepository.Delivery> due = topics.due(System.currentTimeMillis(), null, 100);
            for (TopicRepository.Delivery d : due) {
                attempt(d);
            }
        } catch (RuntimeException e) {
            JsonLog.warn("notification-delivery-loop-failed", JsonLog.REASON, e.getMessage());
        }
    }

    private void attempt(TopicRepository.Delivery d) {
        String key = d.message().messageId() + "/" + d.subscription().id();
        if (!inFlight.add(key)) {
            return;
        }
        try {
            if (!TopicRepository.PENDING.equals(topics.deliveryState(d.message().messageId(), d.subscription().id()))) {
                return; // delivered by the other path meanwhile
            }
            String error = d.subscription().protocol().equals(SubscriptionEndpoints.OUTBOX) ? toOutbox(d) : toWebhook(d);
            if (error == null) {
                topics.markDelivered(d);
            } else if (d.attempts() + 1 >= MAX_ATTEMPTS) {
                topics.markFailed(d, error);
                JsonLog.error("notification-delivery-failed", "messageId", d.message().messageId(),
                        "subscriptionId", d.subscription().id(), JsonLog.ATTEMPT, d.attempts() + 1,
                        JsonLog.REASON, error);
            } else {
                long backoff = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << d.attempts());
                topics.markRetry(d, System.currentTimeMillis() + backoff, error);
                JsonLog.warn("notification-delivery-retry", "messageId", d.message().messageId(),
                        "subscriptionId", d.subscription().id(), JsonLog.ATTEMPT, d.attempts() + 1,
                        JsonLog.REASON, error);
            }
        } finally {
            inFlight.remove(key);
        }
    }

    private String toOutbox(TopicRepository.Delivery d) {
        Path file = SubscriptionEndpoints.outboxFile(dataDir, d.subscription().endpoint());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("messageId", d.message().messageId());
        line.put("topicId", d.message().topicId());
        TopicRepository.Topic topic = topics.findTopic(d.message().topicId());
        line.put("topicName", topic == null ? null : topic.name());
        line.put("subscriptionId", d.subscription().id());
        line.put("title", d.message().title());
        line.put("body", d.message().body());
        line.put("messageType", d.message().messageType());
        line.put("timestamp", Instant.ofEpochMilli(d.message().timePublishedMillis()).toString());
        try {
            PrivateFiles.createDirectories(file.getParent());
            byte[] bytes = (LINE.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            // one write of the whole line, under a per-file lock, so concurrent lines never interleave
            synchronized (fileLocks.computeIfAbsent(file, f -> new Object())) {
                try (OutputStream out = PrivateFiles.appending(file)) {
                    out.write(bytes);
                }
            }
            return null;
        } catch (IOException e) {
            return "outbox write failed: " + e.getClass().getSimpleName();
        }
    }

    private String toWebhook(TopicRepository.Delivery d) {
        URI uri = URI.create(d.subscription().endpoint());
        HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(uri))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("X-OCI-NS-MessageId", d.message().messageId())
                .header("X-OCI-NS-TopicId", d.message().topicId())
                .POST(HttpRequest.BodyPublishers.ofString(d.message().body(), StandardCharsets.UTF_8));
        if (d.message().messageType() != null) {
            request.header("X-OCI-NS-MessageType", d.message().messageType());
        }
        if (uri.getRawUserInfo() != null) {
            // OCI supports Basic credentials in the subscription URL
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "webhook answered " + response.statusCode();
        } catch (IOException e) {
            return "webhook unreachable: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static URI withoutUserInfo(URI uri) {
        return URI.create(SubscriptionEndpoints.redact(uri) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
