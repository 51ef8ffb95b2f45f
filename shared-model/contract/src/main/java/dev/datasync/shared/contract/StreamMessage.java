package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code streamMessage} of the public contract and, with {@code syncId}, {@code receivedAt} and {@code sourceId}
 * set, the value stored in DataSyncStream (the "stored envelope"). {@code sourceId} is the verified id of the source
 * application that sent it (null in messages accepted before sources existed); it picks the source's own Vault
 * secret at delivery. Field names are those of the public contract
 * (docs/examples/sync-request.json), which existing sources already send: never renamed.
 * Fields the contract does not know are kept in {@code extra} and written back, so a newer source's optional fields
 * survive the trip through the stream and the error streams.
 * <p>
 * {@code targetRestApiPayload} is the caller's data: read from text (the sync request, a stored message, an
 * envelope) with its member kept exact ({@link dev.datasync.shared.json.ExactJson}, field
 * {@link #TARGET_REST_API_PAYLOAD}), it is written back, and sent to the target, as the very JSON text the caller
 * sent: numbers, escapes, key order. Any JSON value; null or absent means no body.
 * <p>
 * Mapping is done by hand ({@link #toJson()} / {@link #fromJson(JsonNode)}) rather than by Jackson annotations so
 * the exact field set is visible here and unknown fields are preserved without any record/any-setter subtleties.
 */
public record StreamMessage(String vaultSecretName,
                            String targetRestApi,
                            String targetRestApiOperation,
                            JsonNode targetRestApiPayload,
                            List<Header> targetRestApiHeaders,
                            String syncId,
                            Instant receivedAt,
                            String sourceId,
                            String traceparent,
                            Map<String, JsonNode> extra) {

    public static final String VAULT_SECRET_NAME = "vaultSecretName";
    public static final String TARGET_REST_API = "targetRestApi";
    public static final String TARGET_REST_API_OPERATION = "targetRestApiOperation";
    public static final String TARGET_REST_API_PAYLOAD = "targetRestApiPayload";
    public static final String TARGET_REST_API_HEADERS = "targetRestApiHeaders";
    public static final String SYNC_ID = "syncId";
    public static final String RECEIVED_AT = "receivedAt";
    public static final String SOURCE_ID = "sourceId";
    /**
     * The W3C traceparent the message was accepted with ({@link TraceParent}): the caller's, or one started for it.
     * Each call to the target carries its trace id with a new span id. Null in messages accepted before it existed.
     */
    public static final String TRACEPARENT = "traceparent";

    static final Set<String> KNOWN = Set.of(VAULT_SECRET_NAME, TARGET_REST_API, TARGET_REST_API_OPERATION,
            TARGET_REST_API_PAYLOAD, TARGET_REST_API_HEADERS, SYNC_ID, RECEIVED_AT, SOURCE_ID, TRACEPARENT);

    public StreamMessage {
        targetRestApiHeaders = targetRestApiHeaders == null ? List.of() : List.copyOf(targetRestApiHeaders);
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** A message without a trace (the form of the public contract's {@code streamMessage}). */
    public StreamMessage(String vaultSecretName, String targetRestApi, String targetRestApiOperation,
                         JsonNode targetRestApiPayload, List<Header> targetRestApiHeaders, String syncId,
                         Instant receivedAt, String sourceId, Map<String, JsonNode> extra) {
        this(vaultSecretName, targetRestApi, targetRestApiOperation, targetRestApiPayload, targetRestApiHeaders,
                syncId, receivedAt, sourceId, null, extra);
    }

    /** The stored envelope: this message stamped with its idempotency key, acceptance time, source and trace. */
    public StreamMessage accepted(String newSyncId, Instant newReceivedAt, String newSourceId, TraceParent trace) {
        return new StreamMessage(vaultSecretName, targetRestApi, targetRestApiOperation, targetRestApiPayload,
                targetRestApiHeaders, newSyncId, newReceivedAt, newSourceId, trace == null ? null : trace.header(),
                extra);
    }

    /** As {@link #accepted(String, Instant, String, TraceParent)}, without a trace (its calls carry none). */
    public StreamMessage accepted(String newSyncId, Instant newReceivedAt, String newSourceId) {
        return accepted(newSyncId, newReceivedAt, newSourceId, null);
    }

    /** The trace id of a stored message or envelope as JSON (null: it has no valid traceparent). */
    public static String traceIdOf(JsonNode message) {
        JsonNode t = message == null ? null : message.get(TRACEPARENT);
        return t != null && t.isTextual() ? TraceParent.parse(t.asText()).map(TraceParent::traceId).orElse(null)
                : null;
    }

    /** The trace it was accepted with, if it has a valid one. */
    public java.util.Optional<TraceParent> trace() {
        return TraceParent.parse(traceparent);
    }

    /** JSON form; absent (null) fields are omitted, headers always written as an array. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        putIfPresent(node, VAULT_SECRET_NAME, vaultSecretName);
        putIfPresent(node, TARGET_REST_API, targetRestApi);
        putIfPresent(node, TARGET_REST_API_OPERATION, targetRestApiOperation);
        if (targetRestApiPayload != null && !targetRestApiPayload.isMissingNode()) {
            node.set(TARGET_REST_API_PAYLOAD, targetRestApiPayload);
        }
        ArrayNode headers = node.putArray(TARGET_REST_API_HEADERS);
        for (Header h : targetRestApiHeaders) {
            headers.addObject().put("key", h.key()).put("value", h.value());
        }
        extra.forEach(node::set);
        putIfPresent(node, SYNC_ID, syncId);
        if (receivedAt != null) {
            node.put(RECEIVED_AT, receivedAt.toString());
        }
        putIfPresent(node, SOURCE_ID, sourceId);
        putIfPresent(node, TRACEPARENT, traceparent);
        return node;
    }

    /**
     * Lenient structural read of a stored message (no policy checks; see {@link StreamMessageValidator} for those).
     * Fields of the wrong JSON type are read as absent, so a validator then reports them as missing/invalid.
     */
    public static StreamMessage fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("streamMessage is not a JSON object");
        }
        List<Header> headers = new java.util.ArrayList<>();
        JsonNode hs = node.get(TARGET_REST_API_HEADERS);
        if (hs != null && hs.isArray()) {
            for (JsonNode h : hs) {
                headers.add(new Header(textOrNull(h.get("key")), textOrNull(h.get("value"))));
            }
        }
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KNOWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        Instant receivedAt = null;
        String received = textOrNull(node.get(RECEIVED_AT));
        if (received != null) {
            try {
                receivedAt = Instant.parse(received);
            } catch (java.time.format.DateTimeParseException ignored) {
                // a bad timestamp does not make a message undeliverable; it is informational only
            }
        }
        return new StreamMessage(textOrNull(node.get(VAULT_SECRET_NAME)), textOrNull(node.get(TARGET_REST_API)),
                textOrNull(node.get(TARGET_REST_API_OPERATION)), node.get(TARGET_REST_API_PAYLOAD), headers,
                textOrNull(node.get(SYNC_ID)), receivedAt, textOrNull(node.get(SOURCE_ID)),
                textOrNull(node.get(TRACEPARENT)), extra);
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
