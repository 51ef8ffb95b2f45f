package dev.datasync.retry;

import dev.datasync.shared.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * Bodies for the retry tests: requests in the shape of docs/examples/retry-request.json, and the envelopes that sit
 * in an error stream.
 */
final class RetryBodies {

    private RetryBodies() {
    }

    /** @param mapping the errormapping array ({@link #mapping}), null for none */
    static String request(String stream, int n, long after, String mapping) {
        String mappingMember = mapping == null ? "" : """
                ,"errormapping":%s""".formatted(mapping);
        return """
                {"streamOCIDToRetry":%s,"noOfMessagesToProcess":%d,"readAfterOffset":%d,"readPartition":"0"%s}"""
                .formatted(Json.toText(stream), n, after, mappingMember);
    }

    /** An errormapping array of {@link #route}s. */
    static String mapping(String... routes) {
        return "[" + String.join(",", routes) + "]";
    }

    /** One errormapping entry: failures answered {@code responseCode} go to {@code stream}. */
    static String route(String responseCode, String stream) {
        return """
                {"responsecode":%s,"stream":%s}""".formatted(Json.toText(responseCode), Json.toText(stream));
    }

    /** A message as it sits in an error stream: a routed envelope after four attempts answered 503. */
    static byte[] routedEnvelope(String target, String syncId) {
        return """
                {"targetRestApi":%s,"targetRestApiOperation":"POST","targetRestApiPayload":{"orderid":"18jan"},\
                "targetRestApiHeaders":[],"syncId":%s,"receivedAt":"2026-11-25T06:00:00Z","deliveryAttempts":4,\
                "lastError":{"status":503,"reason":"HTTP 503","at":"2026-11-25T06:00:01Z"},\
                "source":{"stream":"DataSyncStream","partition":"0","offset":7}}"""
                .formatted(Json.toText(target), Json.toText(syncId)).getBytes(StandardCharsets.UTF_8);
    }
}
