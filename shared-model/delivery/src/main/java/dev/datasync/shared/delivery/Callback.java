package dev.datasync.shared.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.json.Json;

import java.net.URI;
import java.time.Instant;

/**
 * The outcome callback of one ended message (or one fanned-out target's message): where to POST it, on behalf of
 * which source (its allow-list and its signing apply) and the body
 * {@code {"syncId","outcome","attempts","lastError","at"}} ({@code docs/examples/callback-body.json}).
 *
 * @param outcome   {@link #DELIVERED}, {@link #DEAD_LETTERED} or {@link #UNRECOVERABLE}
 * @param attempts  the calls made to the target, as the envelope lists them
 * @param lastError the envelope's {@code lastError}; null for a delivered message
 * @param trace     the message's trace (its calls carry it), null for none
 */
public record Callback(String syncId, String sourceId, URI url, String outcome, ArrayNode attempts,
                       JsonNode lastError, Instant at, TraceParent trace) {

    public static final String DELIVERED = "delivered";
    public static final String DEAD_LETTERED = "deadLettered";
    public static final String UNRECOVERABLE = "unrecoverable";
    /** Appended to the syncId for the callback's {@code webhook-id} and Idempotency-Key. */
    public static final String ID_SUFFIX = ".callback";

    /** The callback's {@code webhook-id} (and Idempotency-Key): the same on every attempt and every redelivery. */
    public String id() {
        return syncId + ID_SUFFIX;
    }

    /** The JSON body POSTed to {@link #url}. */
    public byte[] body() {
        ObjectNode b = JsonNodeFactory.instance.objectNode();
        b.put("syncId", syncId);
        b.put("outcome", outcome);
        b.set("attempts", attempts == null ? JsonNodeFactory.instance.arrayNode() : attempts);
        b.set("lastError", lastError == null || lastError.isMissingNode() ? JsonNodeFactory.instance.nullNode()
                : lastError);
        b.put("at", at.toString());
        return Json.toBytes(b);
    }
}
