package dev.datasync.read;

import dev.datasync.shared.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Bodies Service Connector Hub hands the function, for the tests: batches in the shape of
 * docs/examples/sch-streaming-batch.json, holding messages as PopulateDataStream stores them.
 */
final class SchBatches {

    /** The targetRestApiPayload of every {@link #message}: what the target receives. */
    static final String PAYLOAD = """
            {"orderid":"18jan","PO":"18jan"}""";
    static final String CONTENT_TYPE_JSON = """
            [{"key":"Content-Type","value":"application/json"}]""";
    private static final String NO_SECRET = """
            "vaultSecretName":null""";

    private SchBatches() {
    }

    /**
     * A stored message without vaultSecretName.
     *
     * @param headers its targetRestApiHeaders array, null for none
     */
    static String message(String target, String operation, String syncId, String headers) {
        String headersMember = headers == null ? "" : """
                "targetRestApiHeaders":%s,""".formatted(headers);
        return """
                {%s,"targetRestApi":%s,"targetRestApiOperation":%s,"targetRestApiPayload":%s,\
                %s"syncId":%s,"receivedAt":"2026-11-25T06:00:00Z"}"""
                .formatted(NO_SECRET, Json.toText(target), Json.toText(operation), PAYLOAD, headersMember,
                        Json.toText(syncId));
    }

    /** The {@link #message} with a vaultSecretName. */
    static String withSecret(String message, String secretName) {
        return message.replace(NO_SECRET, """
                "vaultSecretName":%s""".formatted(Json.toText(secretName)));
    }

    /**
     * One batch element of DataSyncStream, partition 0.
     *
     * @param key       encoded as base64; null stays JSON null
     * @param value     encoded as base64
     * @param timestamp an RFC 3339 string or epoch milliseconds (SCH sends either)
     */
    static String element(String key, String value, long offset, Object timestamp) {
        return """
                {"stream":"DataSyncStream","partition":"0","key":%s,"value":%s,"offset":%d,"timestamp":%s}"""
                .formatted(key == null ? "null" : Json.toText(b64(key)), Json.toText(b64(value)), offset,
                        Json.toText(timestamp));
    }

    static String batch(String... elements) {
        return "[" + String.join(",", elements) + "]";
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
