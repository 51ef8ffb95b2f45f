package dev.datasync.shared.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.util.List;

/**
 * Tells a request for the Retry function's redrive mode from a replay request. A request that names none of the
 * replay request's fields is a redrive request when it is
 * <ul>
 * <li>empty (what a schedule without a body sends),</li>
 * <li>{@code {"mode":"redrive"}} (the local stack's timer, an operator), or</li>
 * <li>an OCI Notifications message of a Monitoring alarm (it has {@code dedupeKey} or {@code alarmMetaData}): the
 * alarm on {@code redrive.pending} invokes the function through its topic.</li>
 * </ul>
 * Anything else is a replay request, validated as before (so {@code {}} is still 400 naming
 * {@code streamOCIDToRetry}); a {@code mode} other than {@code redrive} is refused naming {@code mode}.
 */
public final class RedriveTrigger {

    public enum Kind { REDRIVE, REPLAY, UNKNOWN_MODE }

    public static final String MODE = "mode";
    public static final String REDRIVE = "redrive";

    private static final List<String> REPLAY_FIELDS = List.of("streamOCIDToRetry", "noOfMessagesToProcess",
            "readAfterOffset", "readPartition", "errormapping");
    private static final List<String> ALARM_FIELDS = List.of("dedupeKey", "alarmMetaData");

    private RedriveTrigger() {
    }

    public static Kind classify(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Kind.REDRIVE;
        }
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            return Kind.REPLAY;
        }
        if (root == null || !root.isObject() || REPLAY_FIELDS.stream().anyMatch(root::has)) {
            return Kind.REPLAY;
        }
        if (root.has(MODE)) {
            return REDRIVE.equals(root.get(MODE).asText(null)) && root.get(MODE).isTextual() ? Kind.REDRIVE
                    : Kind.UNKNOWN_MODE;
        }
        return ALARM_FIELDS.stream().anyMatch(root::has) ? Kind.REDRIVE : Kind.REPLAY;
    }
}
