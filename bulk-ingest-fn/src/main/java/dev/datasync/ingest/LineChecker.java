package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.StrictJson;
import dev.datasync.shared.oci.SourceRules;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.sync.CheckedItem;
import dev.datasync.shared.sync.SyncItemChecker;
import dev.datasync.shared.sync.TokenSupply;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One line of a bulk file: one body of the public {@code /stream/sync} contract, checked by the same
 * {@link SyncItemChecker} (validation, target guard with the global and the source's allow-list, stored size),
 * after {@link CredentialScan}; a {@code vaultSecretName} must be one its source already stored (its use is recorded,
 * so the secret is kept). A blank line is skipped. Thread-safe.
 */
final class LineChecker {

    /** What one line comes to. */
    sealed interface Verdict permits Blank, Refused, Ready {
    }

    record Blank() implements Verdict {
    }

    /** @param notJson the line is not a JSON object at all (what makes a first line "not JSON Lines") */
    record Refused(ApiError error, boolean notJson) implements Verdict {
    }

    record Ready(StreamEntry entry, String syncId, String traceId) implements Verdict {
    }

    private static final String SECRET_FIELD = "streamMessage." + StreamMessage.VAULT_SECRET_NAME;

    private final SyncItemChecker checker;
    private final TokenVault vault;

    LineChecker(SyncItemChecker checker, TokenVault vault) {
        this.checker = checker;
        this.vault = vault;
    }

    /**
     * @throws dev.datasync.shared.oci.VaultUnavailableException              when a named secret cannot be looked up
     * @throws dev.datasync.shared.delivery.SourceUnavailableException when the source's rules cannot be read
     */
    Verdict check(LineReader.Line line, String sourceId, Supplier<SourceRules> rules, Supplier<String> syncId) {
        if (line.tooLong()) {
            return new Refused(new ApiError(ErrorCodes.TOO_LARGE, "the line is longer than a sync request may be",
                    null), false);
        }
        if (isBlank(line.bytes())) {
            return new Blank();
        }
        JsonNode node;
        try {
            node = StrictJson.parse(line.bytes());
        } catch (StrictJson.MalformedBody e) {
            return new Refused(new ApiError(ErrorCodes.MALFORMED_JSON, e.getMessage(), null), true);
        }
        if (!node.isObject()) {
            return new Refused(new ApiError(ErrorCodes.INVALID_FIELD, "a line must be one sync request, a JSON object",
                    null), true);
        }
        Optional<ApiError> credential = CredentialScan.find(node);
        if (credential.isPresent()) {
            return new Refused(credential.get(), false);
        }
        CheckedItem checked = checker.check(node, TokenSupply.STORED, sourceId, rules, syncId);
        if (checked instanceof CheckedItem.Rejected r) {
            return new Refused(r.error(), false);
        }
        CheckedItem.Ready ready = (CheckedItem.Ready) checked;
        if (ready.vaultName() != null && !vault.useStored(ready.vaultName())) {
            return new Refused(new ApiError(ErrorCodes.UNKNOWN_SECRET_NAME, "this source stored no token under "
                    + "vaultSecretName " + ready.stored().vaultSecretName() + " through /stream/sync", SECRET_FIELD),
                    false);
        }
        byte[] key = ready.key() == null ? null : ready.key().getBytes(StandardCharsets.UTF_8);
        return new Ready(new StreamEntry(key, ready.value()), ready.stored().syncId(),
                ready.stored().trace().map(TraceParent::traceId).orElse(null));
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
