package dev.datasync.populate;

import dev.datasync.shared.json.Json;

/** Sync request bodies for the tests, in the shape of docs/examples/sync-request.json. */
final class SyncRequests {

    static final String TARGET = "https://orders.example.com/api/latest/orders";

    /** The headers member of every {@link #request}, as written there (a test may replace it). */
    static final String CONTENT_TYPE_HEADERS = """
            "targetRestApiHeaders":[{"key":"Content-Type","value":"application/json"}]""";

    private SyncRequests() {
    }

    /** A request to {@link #TARGET}; see {@link #requestTo}. */
    static String request(String key, String extra) {
        return requestTo(TARGET, key, extra);
    }

    /**
     * A request on one line.
     *
     * @param key   the streamKey, null for JSON null
     * @param extra members added at the end of streamMessage, each with its leading comma ("" for none)
     */
    static String requestTo(String target, String key, String extra) {
        return """
                {"streamKey":%s,"streamMessage":{"targetRestApi":%s,"targetRestApiOperation":"POST",\
                "targetRestApiPayload":{"orderid":"18jan"},%s%s}}"""
                .formatted(key == null ? "null" : Json.toText(key), Json.toText(target), CONTENT_TYPE_HEADERS, extra);
    }

    /** The extra member {@code ,"vaultSecretName":"<name>"}. */
    static String secret(String name) {
        return member("vaultSecretName", name);
    }

    /** An extra member {@code ,"<name>":"<value>"}. */
    static String member(String name, String value) {
        return "," + Json.toText(name) + ":" + Json.toText(value);
    }
}
