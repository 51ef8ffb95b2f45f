package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Fan-out: {@code streamMessage.targets}, an array of 1 to {@code max_fanout_targets} targets, each with the target
 * fields of the single form ({@code targetRestApi}, {@code targetRestApiOperation} required; {@code
 * targetRestApiHeaders}, {@code targetRestApiPayload}, {@code vaultSecretName} optional), instead of those fields on
 * the message. It is accepted as one sync request per target ({@link #expand}): each is checked like a single-target
 * request (its errors name {@code streamMessage.targets[n].…}) and stored as its own message, with syncId
 * {@code <syncId>.<n>} (its Idempotency-Key) and stream key {@code <streamKey>#<n>} — so each target is delivered,
 * held, routed, redriven and dead-lettered on its own, while the messages of one key to one target keep their order.
 * The message's other fields (such as {@code deliverAfter}) go with every target. {@code n} counts from 0.
 */
public final class FanOut {

    public static final String FIELD = "targets";
    private static final String PREFIX = "streamMessage.";
    /** The fields of one target: the single form's, which a fan-out message may not have beside {@code targets}. */
    static final List<String> TARGET_FIELDS = List.of(StreamMessage.TARGET_REST_API,
            StreamMessage.TARGET_REST_API_OPERATION, StreamMessage.TARGET_REST_API_HEADERS,
            StreamMessage.TARGET_REST_API_PAYLOAD, StreamMessage.VAULT_SECRET_NAME);

    private FanOut() {
    }

    /** Whether a sync request asks for fan-out (its streamMessage has {@code targets}). */
    public static boolean asks(JsonNode syncRequest) {
        JsonNode m = syncRequest == null ? null : syncRequest.get("streamMessage");
        return m != null && m.isObject() && m.has(FIELD);
    }

    /**
     * The sync requests of a fan-out request, one per target in order, or the 400 of its form: {@code targets} not
     * an array of 1 to {@code maxTargets} objects, or given together with a single-target field.
     */
    public static Validated<List<ObjectNode>> expand(JsonNode syncRequest, int maxTargets) {
        ObjectNode message = (ObjectNode) syncRequest.get("streamMessage");
        JsonNode targets = message.get(FIELD);
        String field = PREFIX + FIELD;
        for (String single : TARGET_FIELDS) {
            if (message.has(single)) {
                return Validated.refused(ErrorCodes.INVALID_FIELD, "give either targets or the single-target fields,"
                        + " not both (" + single + " is given beside targets)", field);
            }
        }
        if (targets == null || !targets.isArray() || targets.isEmpty()) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, "targets must be an array of 1 to " + maxTargets
                    + " targets", field);
        }
        if (targets.size() > maxTargets) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, "targets has " + targets.size() + " targets; at most "
                    + maxTargets + " (max_fanout_targets)", field);
        }
        JsonNode key = syncRequest.get("streamKey");
        List<ObjectNode> out = new ArrayList<>(targets.size());
        for (int n = 0; n < targets.size(); n++) {
            JsonNode target = targets.get(n);
            if (!target.isObject()) {
                return Validated.refused(ErrorCodes.INVALID_FIELD, "each target is an object with the target fields",
                        field + "[" + n + "]");
            }
            ObjectNode part = JsonNodeFactory.instance.objectNode();
            if (key != null) {
                part.set("streamKey", key.isTextual() ? JsonNodeFactory.instance.textNode(keyOf(key.asText(), n))
                        : key);
            }
            ObjectNode m = message.deepCopy();
            m.remove(FIELD);
            for (String f : TARGET_FIELDS) {
                if (target.has(f)) {
                    m.set(f, target.get(f));
                }
            }
            part.set("streamMessage", m);
            out.add(part);
        }
        return Validated.ok(List.copyOf(out));
    }

    /** The syncId, and Idempotency-Key, of target {@code n} of the message {@code syncId}. */
    public static String syncIdOf(String syncId, int n) {
        return syncId + "." + n;
    }

    /** The stream key of target {@code n}: its own ordering lane; no key stays no key. */
    public static String keyOf(String streamKey, int n) {
        return streamKey.isEmpty() ? streamKey : streamKey + "#" + n;
    }

    /** An error of target {@code n}'s request, its field placed under {@code streamMessage.targets[n]}. */
    public static ApiError ofTarget(ApiError e, int n) {
        String f = e.field();
        String at = PREFIX + FIELD + "[" + n + "]";
        String field = f == null ? at : f.startsWith(PREFIX) ? at + "." + f.substring(PREFIX.length()) : f;
        return new ApiError(e.code(), e.message(), field, e.limit());
    }
}
