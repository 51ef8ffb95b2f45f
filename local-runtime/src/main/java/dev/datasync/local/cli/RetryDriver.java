package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.SourceHeaders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Replays one partition of an error stream through {@code POST /stream/retry}: calls it repeatedly, passing each
 * {@code lastReadOffset} on as the next {@code readAfterOffset}, until {@code endOfStream}. The admin token goes in
 * {@code X-DataSync-Admin-Token}, as on OCI.
 */
public final class RetryDriver {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One call's answer; {@code alreadyDelivered} / {@code alreadyMoved}: messages an earlier replay settled, not
     * sent again.
     */
    public record Step(long lastReadOffset, long delivered, long failed, boolean endOfStream, long alreadyDelivered,
                       long alreadyMoved) {
    }

    /** The whole replay. */
    public record Totals(int calls, long delivered, long failed, long lastReadOffset, long alreadyDelivered,
                         long alreadyMoved) {
    }

    /** {@code /stream/retry} answered something other than 200; {@code code}/{@code message} from its JSON body. */
    public static final class Refused extends IOException {
        private final int status;

        Refused(int status, String code, String message) {
            super("POST /stream/retry answered " + status + (code == null ? "" : " " + code)
                    + (message == null ? "" : ": " + message));
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String gatewayUrl;
    private final String adminToken;

    public RetryDriver(String gatewayUrl, String adminToken) {
        this.gatewayUrl = gatewayUrl;
        this.adminToken = adminToken;
    }

    public Totals replay(String streamOcid, String partition, long readAfterOffset, int batch, Consumer<Step> progress)
            throws IOException, InterruptedException {
        long after = readAfterOffset;
        long delivered = 0;
        long failed = 0;
        long alreadyDelivered = 0;
        long alreadyMoved = 0;
        int calls = 0;
        int stalled = 0;
        while (true) {
            Step step = call(streamOcid, partition, after, batch);
            calls++;
            delivered += step.delivered();
            failed += step.failed();
            alreadyDelivered += step.alreadyDelivered();
            alreadyMoved += step.alreadyMoved();
            progress.accept(step);
            if (step.endOfStream()) {
                return new Totals(calls, delivered, failed, step.lastReadOffset(), alreadyDelivered, alreadyMoved);
            }
            // a well-behaved retry function always moves forward; stop rather than loop if it does not
            stalled = step.lastReadOffset() <= after ? stalled + 1 : 0;
            if (stalled >= 3) {
                throw new IOException("retry made no progress past offset " + after);
            }
            after = step.lastReadOffset();
        }
    }

    private Step call(String streamOcid, String partition, long after, int batch)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("streamOCIDToRetry", streamOcid);
        body.put("noOfMessagesToProcess", batch);
        body.put("readAfterOffset", after);
        body.put("readPartition", partition);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/stream/retry"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header(SourceHeaders.ADMIN_TOKEN, "Bearer " + adminToken)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            String code = null;
            String message = null;
            try {
                JsonNode err = JSON.readTree(r.body());
                code = err.hasNonNull("code") ? err.get("code").asText() : null;
                message = err.hasNonNull("message") ? err.get("message").asText() : null;
            } catch (IOException notJson) {
                message = r.body().length() > 200 ? r.body().substring(0, 200) : r.body();
            }
            throw new Refused(r.statusCode(), code, message);
        }
        JsonNode n = JSON.readTree(r.body());
        return new Step(n.path("lastReadOffset").asLong(after), n.path("processedmessages").asLong(),
                n.path("failedMessages").asLong(), n.path("endOfStream").asBoolean(false),
                n.path("alreadyDeliveredMessages").asLong(), n.path("alreadyMovedMessages").asLong());
    }
}
