package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.SyncRequest;
import dev.datasync.shared.contract.SyncRequestReader;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.guard.Verdict;
import dev.datasync.shared.json.Json;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything one sync request must pass before it may be written, in order: validation, the token it needs, the
 * target guard, the stored size, then the token bound in Vault (last, so a request refused for another reason
 * stores nothing). Thread-safe.
 */
final class SyncItemChecker {

    private final DataSyncConfig config;
    private final TargetGuard guard;
    private final TokenBinding tokens;
    private final Clock clock;
    private final Supplier<String> syncIds;

    SyncItemChecker(DataSyncConfig config, TargetGuard guard, TokenBinding tokens, Clock clock,
                    Supplier<String> syncIds) {
        this.config = config;
        this.guard = guard;
        this.tokens = tokens;
        this.clock = clock;
        this.syncIds = syncIds;
    }

    /** @param authorization the caller's Authorization header, if any (never logged) */
    CheckedItem check(JsonNode item, Optional<String> authorization) {
        Validated<SyncRequest> v = SyncRequestReader.read(item, config.targets().allowHttp());
        if (!v.isOk()) {
            return ItemAnswer.rejected(400, v.error());
        }
        SyncRequest request = v.value();
        StreamMessage message = request.streamMessage();
        String token = authorization.filter(a -> !a.isBlank()).orElse(null);
        if (message.vaultSecretName() != null && token == null) {
            return ItemAnswer.rejected(401, ErrorCodes.MISSING_AUTHORIZATION,
                    "a vaultSecretName needs the token in the Authorization header", "streamMessage.vaultSecretName");
        }
        Verdict verdict = guard.check(message.targetRestApi());
        if (!verdict.allowed()) {
            return ItemAnswer.rejected(400, ErrorCodes.TARGET_NOT_ALLOWED, verdict.detail(),
                    "streamMessage.targetRestApi");
        }
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StreamMessage stored = message.withSyncId(syncIds.get(), receivedAt);
        byte[] value = Json.toBytes(stored.toJson());
        int limit = config.syncLimits().maxMessageBytes();
        if (value.length > limit) {
            return ItemAnswer.rejected(400, ErrorCodes.TOO_LARGE, "the stored message would be " + value.length
                    + " bytes, more than " + limit, "streamMessage");
        }
        if (message.vaultSecretName() != null) {
            Optional<ItemAnswer> refused = tokens.bind(message.vaultSecretName(), token);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        String host = URI.create(message.targetRestApi()).getHost();
        return new CheckedItem.Ready(request.streamKey(), stored, value, host);
    }
}
