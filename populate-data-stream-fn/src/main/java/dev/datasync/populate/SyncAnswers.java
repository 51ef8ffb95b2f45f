package dev.datasync.populate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.json.Json;

import java.util.List;

/** The shapes of the answer to {@code POST /stream/sync}: one item's for an object body, per item for an array. */
final class SyncAnswers {

    /** Seconds a caller should wait before retrying after a 503 (Vault or Streaming unavailable). */
    static final String RETRY_AFTER_SECONDS = "2";

    private SyncAnswers() {
    }

    /** An object body: 202 {syncId, partition, offset} or the error {code, message, field}. */
    static GatewayAnswer single(ItemAnswer item) {
        return withRetryAfterIf(item.status() == 503, GatewayAnswer.json(item.status(), item.body()));
    }

    /**
     * An array body: an array of per-item results, each the single-body shape plus its {@code status}. The HTTP
     * status is the items' status when they all share one, else 207.
     */
    static GatewayAnswer batch(List<ItemAnswer> items) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        boolean anyUnavailable = false;
        int status = items.get(0).status();
        for (ItemAnswer item : items) {
            ObjectNode node = Json.mapper().valueToTree(item.body());
            node.put("status", item.status());
            array.add(node);
            anyUnavailable |= item.status() == 503;
            if (item.status() != status) {
                status = 207;
            }
        }
        return withRetryAfterIf(anyUnavailable, GatewayAnswer.json(status, array));
    }

    private static GatewayAnswer withRetryAfterIf(boolean unavailable, GatewayAnswer answer) {
        return unavailable ? answer.withHeader("Retry-After", RETRY_AFTER_SECONDS) : answer;
    }
}
