package dev.datasync.shared.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.CallbackUrl;
import dev.datasync.shared.contract.DeliverAfter;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.FanOut;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.SyncRequest;
import dev.datasync.shared.contract.SyncRequestReader;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.guard.Verdict;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.oci.SourceRules;
import dev.datasync.shared.oci.TokenSecretName;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything one sync request must pass before its token may be bound and it may be written, in order: validation,
 * the token it needs (and only with a name to keep it under), the target guard with the global and the source's
 * allow-list, the stored size. The one check of an item for every way in: {@code POST /stream/sync} (one body or an
 * array) and each line of a bulk file. Binding the token comes after every item of the body passed these and the
 * source's secret cap (so a request refused for another reason stores nothing). Thread-safe.
 */
public final class SyncItemChecker {

    private static final String SECRET_FIELD = "streamMessage." + StreamMessage.VAULT_SECRET_NAME;
    private static final String TARGET_FIELD = "streamMessage." + StreamMessage.TARGET_REST_API;
    private static final String DELIVER_AFTER_FIELD = "streamMessage." + DeliverAfter.FIELD;
    private static final String CALLBACK_FIELD = "streamMessage." + CallbackUrl.FIELD;

    private final DataSyncConfig config;
    private final TargetGuard guard;
    private final Clock clock;

    public SyncItemChecker(DataSyncConfig config, TargetGuard guard, Clock clock) {
        this.config = config;
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * @param token    how the item's token comes (the value of an Authorization header is checked by the handler)
     * @param sourceId the verified source
     * @param source   its rules, asked for only by an item whose target the global list admits (the source
     *                 registry is not read for a body refused by validation or the global list alone)
     * @param syncId   the item's syncId, asked for only once it passed every check but its stored size
     */
    public CheckedItem check(JsonNode item, TokenSupply token, String sourceId, Supplier<SourceRules> source,
                             Supplier<String> syncId) {
        return check(item, token, sourceId, source, syncId, Optional.empty());
    }

    /**
     * As {@link #check(JsonNode, TokenSupply, String, Supplier, Supplier)}, the message kept with the caller's trace
     * ({@code traceparent} of {@code POST /stream/sync}) when it has a valid one, else with a new trace of its own
     * (a bulk line has none: each line starts one).
     */
    public CheckedItem check(JsonNode item, TokenSupply token, String sourceId, Supplier<SourceRules> source,
                             Supplier<String> syncId, Optional<TraceParent> callerTrace) {
        if (FanOut.asks(item)) {
            // POST /stream/sync expands fan-out into one request per target before checking each (FanOut.expand)
            return CheckedItem.Rejected.of(400, ErrorCodes.INVALID_FIELD, "fan-out (targets) is taken by POST"
                    + " /stream/sync only; here each sync request names one target", "streamMessage." + FanOut.FIELD);
        }
        Validated<SyncRequest> v = SyncRequestReader.read(item, config.targets().allowHttp());
        if (!v.isOk()) {
            return new CheckedItem.Rejected(400, v.error());
        }
        SyncRequest request = v.value();
        StreamMessage message = request.streamMessage();
        String secretName = message.vaultSecretName();
        if (secretName == null && token == TokenSupply.WITH_REQUEST) {
            return CheckedItem.Rejected.of(400, ErrorCodes.MISSING_FIELD, "Authorization is given but no"
                    + " vaultSecretName: the token would not be delivered; name the secret to keep it under",
                    SECRET_FIELD);
        }
        if (secretName != null && token == TokenSupply.NONE) {
            return CheckedItem.Rejected.of(401, ErrorCodes.MISSING_AUTHORIZATION,
                    "a vaultSecretName needs the token in the Authorization header", SECRET_FIELD);
        }
        int longest = TokenSecretName.longestNameFor(sourceId);
        if (secretName != null && secretName.length() > longest) {
            return CheckedItem.Rejected.of(400, ErrorCodes.INVALID_FIELD, "vaultSecretName is longer than " + longest
                    + " characters (Vault's 255 less this source's prefix)", SECRET_FIELD);
        }
        String tooFar = DeliverAfter.tooFar(DeliverAfter.of(message), clock.instant(), config.delay().maxDelay());
        if (tooFar != null) {
            return CheckedItem.Rejected.of(400, ErrorCodes.INVALID_FIELD, tooFar, DELIVER_AFTER_FIELD);
        }
        URI target = URI.create(message.targetRestApi());
        Verdict verdict = guard.check(target, () -> source.get().allowlist());
        if (!verdict.allowed()) {
            return CheckedItem.Rejected.of(400, ErrorCodes.TARGET_NOT_ALLOWED, verdict.detail(), TARGET_FIELD);
        }
        URI callback = CallbackUrl.of(message);
        if (callback != null) {
            // called like a target, so admitted like one: the same guard, the global and the source's allow-list
            Verdict callbackVerdict = guard.check(callback, () -> source.get().allowlist());
            if (!callbackVerdict.allowed()) {
                return CheckedItem.Rejected.of(400, ErrorCodes.TARGET_NOT_ALLOWED, callbackVerdict.detail(),
                        CALLBACK_FIELD);
            }
        }
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StreamMessage stored = message.accepted(syncId.get(), receivedAt, sourceId,
                callerTrace.orElseGet(TraceParent::start));
        byte[] value = Json.toBytes(stored.toJson());
        int limit = config.syncLimits().maxMessageBytes();
        if (value.length > limit) {
            return CheckedItem.Rejected.of(400, ErrorCodes.TOO_LARGE, "the stored message would be " + value.length
                    + " bytes, more than " + limit, "streamMessage");
        }
        String vaultName = secretName == null ? null : TokenSecretName.of(sourceId, secretName);
        return new CheckedItem.Ready(request.streamKey(), stored, value, target.getHost(), vaultName);
    }
}
