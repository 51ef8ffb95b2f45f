package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.SourceHeaders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A demo step's {@code POST /stream/sync} of one message, as a source (its credential), without a target token. */
final class SyncPost {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SyncPost() {
    }

    /** A sync request body: {@code streamKey} and a POST of {@code payload} to {@code target}. */
    static ObjectNode body(String streamKey, String target, ObjectNode payload) {
        ObjectNode body = JSON.createObjectNode();
        body.put("streamKey", streamKey);
        ObjectNode m = body.putObject("streamMessage");
        m.put("targetRestApi", target);
        m.put("targetRestApiOperation", "POST");
        m.set("targetRestApiPayload", payload);
        return body;
    }

    static HttpResponse<String> send(String gatewayUrl, String credential, ObjectNode body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/stream/sync"))
                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                        .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + credential)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
