package dev.datasync.local.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.RulesSettings;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.SyncRequest;
import dev.datasync.shared.contract.SyncRequestReader;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.json.ExactJson;
import dev.datasync.shared.json.StrictJson;
import dev.datasync.shared.rules.CompiledRules;
import dev.datasync.shared.rules.RulesVerdict;

import java.time.Instant;
import java.util.UUID;

/**
 * What the target of one sync request would receive under a source's rules, judged by the very code the delivery
 * runs ({@link CompiledRules#judge}): the body (the transform's value, or the payload byte for byte), or that the
 * message would be filtered, or why it would fail as {@code transformFailed}. The request is read as
 * {@code /stream/sync} reads one item ({@code {"streamKey": …, "streamMessage": {…}}}); it gets a fresh syncId and
 * the current time as receivedAt, as populate would give it.
 */
public final class RulesTrial {

    /**
     * The outcome: {@code deliver} (with {@code body}, null for no body), {@code filtered} or
     * {@code transformFailed} (with {@code reason}).
     */
    public record Result(String outcome, String rulesVersion, String method, String target, byte[] body,
                         String reason, String syncId) {
        public static final String DELIVER = "deliver";
        public static final String FILTERED = "filtered";
        public static final String TRANSFORM_FAILED = "transformFailed";
    }

    /** A message file that is no sync request. */
    public static final class BadMessage extends Exception {
        BadMessage(String message) {
            super(message);
        }
    }

    private RulesTrial() {
    }

    /**
     * @param rules    the source's rules; null when it has none (the payload goes as received)
     * @param sourceId the source the message is sent as
     */
    public static Result judge(CompiledRules rules, String sourceId, byte[] syncRequest, RulesSettings budget)
            throws BadMessage {
        SyncRequest request = requestOf(syncRequest);
        StreamMessage message = request.streamMessage().accepted(UUID.randomUUID().toString(), Instant.now(),
                sourceId);
        String key = request.streamKey();
        if (rules == null) {
            return new Result(Result.DELIVER, null, message.targetRestApiOperation(), message.targetRestApi(),
                    payloadBytes(message), null, message.syncId());
        }
        RulesVerdict v = rules.judge(message, key, budget);
        if (v instanceof RulesVerdict.Filtered) {
            return new Result(Result.FILTERED, v.version(), null, null, null, null, message.syncId());
        }
        if (v instanceof RulesVerdict.Failed f) {
            return new Result(Result.TRANSFORM_FAILED, v.version(), null, null, null, f.reason(), message.syncId());
        }
        RulesVerdict.Send send = (RulesVerdict.Send) v;
        return new Result(Result.DELIVER, v.version(), message.targetRestApiOperation(), message.targetRestApi(),
                send.transformed() ? send.body() : payloadBytes(message), null, message.syncId());
    }

    private static byte[] payloadBytes(StreamMessage m) {
        JsonNode p = m.targetRestApiPayload();
        return p == null || p.isNull() || p.isMissingNode() ? null : ExactJson.bytes(p);
    }

    private static SyncRequest requestOf(byte[] body) throws BadMessage {
        JsonNode node;
        try {
            node = StrictJson.parse(body, StreamMessage.TARGET_REST_API_PAYLOAD);
        } catch (StrictJson.MalformedBody e) {
            throw new BadMessage("the message file is not JSON: " + e.getMessage());
        }
        // the local default: http to loopback is how the local stack's targets are reached
        Validated<SyncRequest> v = SyncRequestReader.read(node, true);
        if (!v.isOk()) {
            ApiError e = v.error();
            throw new BadMessage("the message file is no sync request: " + e.message()
                    + (e.field() == null ? "" : " (" + e.field() + ")"));
        }
        return v.value();
    }
}
