package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.SyncAccepted;
import dev.datasync.shared.contract.SyncRequest;
import dev.datasync.shared.contract.SyncRequestReader;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.guard.Verdict;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.oci.VaultUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * POST /stream/sync: validate, guard the target, bind the token in Vault, write to DataSyncStream, answer.
 * A body is one sync request object, or a JSON array of them answered item by item. Nothing is written for a
 * rejected item, and an item counts as accepted only once PutMessages returned its offset for it: PutMessages answers
 * per entry, and a 202 for an entry OCI did not store would lose the message. Thread-safe; one per container.
 */
public final class SyncHandler {

    /** Seconds a caller should wait before retrying after a 503 (Vault or Streaming unavailable). */
    static final String RETRY_AFTER_SECONDS = "2";

    private final DataSyncConfig config;
    private final TargetGuard guard;
    private final StreamWriter writer;
    private final TokenVault vault;
    private final SecretSweeper sweeper;
    /** Set once a request stored a token: the Vault client exists then, and there are secrets to look after. */
    private volatile boolean vaultInUse;
    private final JsonLog log;
    private final Clock clock;
    private final Supplier<String> syncIds;

    /** @param sweeper deletes unused token secrets in the background; null: none (tests of other concerns) */
    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault,
                       SecretSweeper sweeper, JsonLog log, Clock clock, Supplier<String> syncIds) {
        this.config = config;
        this.guard = guard;
        this.writer = writer;
        this.vault = vault;
        this.sweeper = sweeper;
        this.log = log;
        this.clock = clock;
        this.syncIds = syncIds;
    }

    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault, JsonLog log,
                       Clock clock, Supplier<String> syncIds) {
        this(config, guard, writer, vault, null, log, clock, syncIds);
    }

    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault,
                       SecretSweeper sweeper, JsonLog log) {
        this(config, guard, writer, vault, sweeper, log, Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault, JsonLog log) {
        this(config, guard, writer, vault, null, log);
    }

    /**
     * @param method        the gateway's HTTP method ("" when invoked directly, treated as POST)
     * @param authorization the caller's Authorization header, if any (never logged)
     */
    public SyncResponse handle(String method, Optional<String> authorization, byte[] body) {
        try {
            return answer(method, authorization, body);
        } finally {
            if (sweeper != null && vaultInUse) {
                sweeper.requestSweep(); // returns at once; the sweep (at most hourly) runs on its own thread
            }
        }
    }

    private SyncResponse answer(String method, Optional<String> authorization, byte[] body) {
        if (method != null && !method.isEmpty() && !method.equalsIgnoreCase("POST")) {
            return single(reject(405, ErrorCodes.METHOD_NOT_ALLOWED, "use POST", null));
        }
        JsonNode root;
        try {
            if (body == null || body.length == 0) {
                return single(reject(400, ErrorCodes.MALFORMED_JSON, "the request body is empty", null));
            }
            root = Json.parse(body);
        } catch (IOException e) {
            return single(reject(400, ErrorCodes.MALFORMED_JSON, "the request body is not valid JSON", null));
        }
        if (root == null || root.isMissingNode()) {
            return single(reject(400, ErrorCodes.MALFORMED_JSON, "the request body is empty", null));
        }
        if (!root.isArray()) {
            return single(process(List.of(root), authorization, false).get(0));
        }
        if (root.isEmpty()) {
            return single(reject(400, ErrorCodes.INVALID_FIELD, "the array holds no sync requests", null));
        }
        if (root.size() > config.syncLimits().maxBatchItems()) {
            return single(reject(400, ErrorCodes.TOO_MANY_ITEMS, "at most " + config.syncLimits().maxBatchItems()
                    + " sync requests per body", null));
        }
        List<JsonNode> items = new ArrayList<>();
        root.forEach(items::add);
        return batch(process(items, authorization, true));
    }

    // ---- one outcome per item ------------------------------------------------------------------------------

    /** The result of preparing one item: ready to be written, or already answered. */
    private sealed interface Prepared permits Outcome, Pending {
    }

    /** Either accepted (with where it was written) or rejected with an error and status. */
    private record Outcome(int status, SyncAccepted accepted, ApiError error) implements Prepared {
    }

    private static Outcome reject(int status, String code, String message, String field) {
        return new Outcome(status, null, new ApiError(code, message, field));
    }

    /** A validated item waiting to be written. */
    private record Pending(int index, String key, StreamMessage stored, byte[] value, String targetHost)
            implements Prepared {
    }

    private List<Outcome> process(List<JsonNode> items, Optional<String> authorization, boolean indexed) {
        Outcome[] outcomes = new Outcome[items.size()];
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = indexed ? "[" + i + "]" : "";
            Prepared result = prepare(items.get(i), authorization);
            if (result instanceof Outcome o) {
                outcomes[i] = new Outcome(o.status, null, o.error.under(prefix));
                logRejected(o, i);
            } else if (result instanceof Pending p) {
                pending.add(new Pending(i, p.key, p.stored, p.value, p.targetHost));
            }
        }
        if (!pending.isEmpty()) {
            write(pending, outcomes);
        }
        return List.of(outcomes);
    }

    /** Validation, guard, size and token for one item: a {@link Pending} or a rejecting {@link Outcome}. */
    private Prepared prepare(JsonNode item, Optional<String> authorization) {
        Validated<SyncRequest> v = SyncRequestReader.read(item, config.targets().allowHttp());
        if (!v.isOk()) {
            return new Outcome(400, null, v.error());
        }
        SyncRequest request = v.value();
        StreamMessage message = request.streamMessage();
        String token = authorization.filter(a -> !a.isBlank()).orElse(null);
        if (message.vaultSecretName() != null && token == null) {
            return reject(401, ErrorCodes.MISSING_AUTHORIZATION,
                    "a vaultSecretName needs the token in the Authorization header", "streamMessage.vaultSecretName");
        }
        Verdict verdict = guard.check(message.targetRestApi());
        if (!verdict.allowed()) {
            return reject(400, ErrorCodes.TARGET_NOT_ALLOWED, verdict.detail(), "streamMessage.targetRestApi");
        }
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StreamMessage stored = message.withSyncId(syncIds.get(), receivedAt);
        byte[] value = Json.toBytes(stored.toJson());
        if (value.length > config.syncLimits().maxMessageBytes()) {
            return reject(400, ErrorCodes.TOO_LARGE, "the stored message would be " + value.length
                    + " bytes, more than " + config.syncLimits().maxMessageBytes(), "streamMessage");
        }
        if (message.vaultSecretName() != null) {
            try {
                TokenVault.StoreOutcome stored1 = vault.store(message.vaultSecretName(), token);
                vaultInUse = true;
                if (stored1 == TokenVault.StoreOutcome.CONFLICT) {
                    return reject(409, ErrorCodes.TOKEN_MISMATCH, "vaultSecretName " + message.vaultSecretName()
                            + " holds a different token; send a new token under a new name",
                            "streamMessage.vaultSecretName");
                }
                if (stored1 == TokenVault.StoreOutcome.NAME_UNAVAILABLE) {
                    return reject(409, ErrorCodes.SECRET_NAME_UNAVAILABLE, "vaultSecretName "
                            + message.vaultSecretName() + " is still reserved in Vault by a deleted secret (unused"
                            + " longer than the retention) or one this service cannot use; send the token under a"
                            + " new name", "streamMessage.vaultSecretName");
                }
            } catch (VaultUnavailableException e) {
                log.error("vault.unavailable").secretName(message.vaultSecretName()).status(e.status())
                        .reason(e.getMessage()).write();
                return reject(503, ErrorCodes.UNAVAILABLE, "the token vault is unavailable, try again later", null);
            }
        }
        String host = URI.create(message.targetRestApi()).getHost();
        return new Pending(-1, request.streamKey(), stored, value, host);
    }

    private void write(List<Pending> pending, Outcome[] outcomes) {
        List<StreamEntry> entries = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            entries.add(new StreamEntry(p.key == null ? null : p.key.getBytes(StandardCharsets.UTF_8), p.value));
        }
        String stream = config.streams().dataStream();
        List<EntryResult> results = writer.put(stream, entries);
        for (int j = 0; j < pending.size(); j++) {
            Pending p = pending.get(j);
            EntryResult r = results.get(j);
            if (r.ok()) {
                outcomes[p.index] = new Outcome(202, new SyncAccepted(p.stored.syncId(), r.partition(), r.offset()),
                        null);
                log.info("sync.accepted").syncId(p.stored.syncId()).streamId(stream).partition(r.partition())
                        .offset(r.offset()).targetHost(p.targetHost).status(202).write();
            } else {
                outcomes[p.index] = reject(503, ErrorCodes.UNAVAILABLE,
                        "the message could not be written to the stream, try again later", null);
                log.error("sync.write_failed").syncId(p.stored.syncId()).streamId(stream).status(r.httpStatus())
                        .code(r.error()).write();
            }
        }
    }

    private void logRejected(Outcome o, int index) {
        log.warn("sync.rejected").status(o.status).code(o.error.code()).field(o.error.field())
                .item(index).write();
    }

    // ---- response shapes -----------------------------------------------------------------------------------

    /** A single object body: 202 {syncId, partition, offset} or the error {code, message, field}. */
    private static SyncResponse single(Outcome o) {
        Object body = o.accepted != null ? o.accepted : o.error;
        return new SyncResponse(o.status, headersFor(o.status == 503), Json.toBytes(body));
    }

    /**
     * An array body: an array of per-item results, each the single-body shape plus its {@code status}. The HTTP
     * status is the items' status when they all share one, else 207.
     */
    private static SyncResponse batch(List<Outcome> outcomes) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        boolean anyUnavailable = false;
        int status = outcomes.get(0).status;
        for (Outcome o : outcomes) {
            ObjectNode item = Json.mapper().valueToTree(o.accepted != null ? o.accepted : o.error);
            item.put("status", o.status);
            array.add(item);
            anyUnavailable |= o.status == 503;
            if (o.status != status) {
                status = 207;
            }
        }
        return new SyncResponse(status, headersFor(anyUnavailable), Json.toBytes(array));
    }

    private static Map<String, String> headersFor(boolean unavailable) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        if (unavailable) {
            h.put("Retry-After", RETRY_AFTER_SECONDS);
        }
        return h;
    }
}
