package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.IdempotencyHeaders;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.contract.StreamMessageValidator;
import dev.datasync.shared.contract.FanOut;
import dev.datasync.shared.contract.SyncAccepted;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.delivery.SourceUnavailableException;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.fn.SyncStack;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.StrictJson;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.SecretQuota;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.SourceRules;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.oci.VaultUnavailableException;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.sync.CheckedItem;
import dev.datasync.shared.sync.SyncItemChecker;
import dev.datasync.shared.sync.TokenSupply;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * POST /stream/sync for one verified source: check the call (method, source id, Content-Type, Authorization, a
 * strict UTF-8 JSON body), check every item (validation, the global and the source's allow-list), keep the source
 * within its secret cap, bind the tokens in Vault, write to DataSyncStream, answer. A body is one sync request
 * object, or a JSON array of them answered item by item. Nothing is written for a rejected item, no secret is created
 * for a body that would pass the cap, and an item counts as accepted only once PutMessages returned its offset for
 * it: PutMessages answers per entry, and a 202 for an entry OCI did not store would lose the message. With an
 * {@code Idempotency-Key}, the key is reserved before anything is written and a resend gets the first answer
 * ({@link IdempotentIngest}); without one, no state object is read or written. No FDK type:
 * {@code PopulateDataStreamFunction} adapts it. Thread-safe; one per container.
 */
public final class SyncHandler {

    private static final String SECRET_FIELD = "streamMessage.vaultSecretName";

    private final DataSyncConfig config;
    private final SyncItemChecker checker;
    private final TokenBinding tokens;
    private final SourceRegistry sources;
    private final SecretQuota quota;
    private final StreamWriter writer;
    private final SecretSweeper sweeper;
    private final IdempotentIngest idempotency;
    private final Supplier<String> syncIds;
    private final PipelineMetrics metrics;
    private final JsonLog log;

    /**
     * @param sweeper deletes unused token secrets in the background; null: none (tests of other concerns)
     * @param state   the state objects, where the sources' {@code Idempotency-Key}s are kept
     */
    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault,
                       SourceRegistry sources, SecretQuota quota, SecretSweeper sweeper, StateObjects state,
                       JsonLog log, Clock clock, Supplier<String> syncIds) {
        this(config, guard, writer, vault, sources, quota, sweeper, state, PipelineMetrics.OFF, log, clock, syncIds);
    }

    /** @param metrics where {@code sync.accepted} is counted, published once per call */
    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault,
                       SourceRegistry sources, SecretQuota quota, SecretSweeper sweeper, StateObjects state,
                       PipelineMetrics metrics, JsonLog log, Clock clock, Supplier<String> syncIds) {
        this.metrics = metrics;
        this.config = config;
        this.tokens = new TokenBinding(vault, log);
        this.checker = new SyncItemChecker(config, guard, clock);
        this.sources = sources;
        this.quota = quota;
        this.writer = writer;
        this.sweeper = sweeper;
        this.idempotency = new IdempotentIngest(state, config.idempotency().window(), clock, log);
        this.syncIds = syncIds;
        this.log = log;
    }

    /** The container's handler: the stack's pieces, the system clock, random syncIds. */
    public SyncHandler(DataSyncConfig config, SyncStack stack, JsonLog log) {
        this(config, stack.guard(), stack.writer(), stack.vault(), stack.sources(), stack.quota(), stack.sweeper(),
                stack.state(), stack.metrics(), log, Clock.systemUTC(), () -> UUID.randomUUID().toString());
    }

    public GatewayAnswer handle(SyncCall call) {
        try {
            return answer(call);
        } finally {
            metrics.publish();
            if (sweeper != null && tokens.vaultInUse()) {
                sweeper.requestSweep(); // returns at once; the sweep (at most hourly) runs on its own thread
            }
        }
    }

    private GatewayAnswer answer(SyncCall call) {
        if (call.method() != null && !call.method().isEmpty() && !call.method().equalsIgnoreCase("POST")) {
            return refuse(405, ErrorCodes.METHOD_NOT_ALLOWED, "use POST", null);
        }
        String sourceId = call.sourceId().orElse(null);
        if (!SourcePolicy.isValidId(sourceId)) {
            // only the gateway may invoke this function, and it sets the header after verifying the credential
            return refuse(401, ErrorCodes.UNAUTHORIZED, sourceId == null
                    ? "no verified source: the gateway sets " + SourceHeaders.SOURCE_ID + " from a valid "
                    + SourceHeaders.SOURCE_TOKEN : "the verified source id is not a source id",
                    SourceHeaders.SOURCE_ID);
        }
        if (!JsonMediaType.accepts(call.contentType())) {
            return refuse(415, ErrorCodes.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json"
                    + " (UTF-8)", "Content-Type");
        }
        String token = call.authorization().filter(a -> !a.isBlank()).orElse(null);
        if (token != null && !StreamMessageValidator.isSendableHeaderValue(token)) {
            return refuse(400, ErrorCodes.INVALID_FIELD, "Authorization may contain only printable US-ASCII"
                    + " characters and tabs", "Authorization");
        }
        if (token != null && !TokenVault.fits(token)) {
            return refuse(400, ErrorCodes.TOO_LARGE, "Authorization is larger than a Vault secret may hold ("
                    + TokenVault.MAX_TOKEN_BASE64_BYTES + " bytes in base64)", "Authorization");
        }
        List<String> keys = call.idempotencyKey();
        if (keys.size() > 1 || (keys.size() == 1 && !IdempotencyHeaders.isValidKey(keys.get(0)))) {
            return refuse(400, ErrorCodes.INVALID_FIELD, IdempotencyHeaders.KEY + " must be sent once, with 1 to "
                    + IdempotencyHeaders.MAX_KEY_LENGTH + " printable US-ASCII characters", IdempotencyHeaders.KEY);
        }
        JsonNode root;
        try {
            if (call.body() == null || call.body().length == 0) {
                return refuse(400, ErrorCodes.MALFORMED_JSON, "the request body is empty", null);
            }
            // the payload stays the exact text the caller sent, all the way to the target
            root = StrictJson.parse(call.body(), StreamMessage.TARGET_REST_API_PAYLOAD);
        } catch (StrictJson.MalformedBody e) {
            return refuse(400, ErrorCodes.MALFORMED_JSON, e.getMessage(), null);
        }
        if (root == null || root.isMissingNode()) {
            return refuse(400, ErrorCodes.MALFORMED_JSON, "the request body is empty", null);
        }
        boolean array = root.isArray();
        if (array && root.isEmpty()) {
            return refuse(400, ErrorCodes.INVALID_FIELD, "the array holds no sync requests", null);
        }
        int max = config.syncLimits().maxBatchItems();
        if (array && root.size() > max) {
            return refuse(400, ErrorCodes.TOO_MANY_ITEMS, "at most " + max + " sync requests per body", null);
        }
        List<JsonNode> items = new ArrayList<>();
        if (array) {
            root.forEach(items::add);
        } else {
            items.add(root);
        }
        // W3C: an invalid traceparent is ignored; each message then starts a trace of its own
        Optional<TraceParent> trace = call.traceparent().flatMap(TraceParent::parse);
        if (keys.isEmpty()) {
            return new Body(items, array, token, sourceId, i -> syncIds.get(), trace).answer();
        }
        return idempotency.answer(sourceId, keys.get(0), call.body(), items.size(), syncIds,
                syncIdOf -> new Body(items, array, token, sourceId, syncIdOf, trace));
    }

    /** A body refused as a whole, before any item is looked at. */
    private GatewayAnswer refuse(int status, String code, String message, String field) {
        log.warn("sync.rejected").status(status).code(code).field(field).write();
        return SyncAnswers.single(ItemAnswer.rejected(status, code, message, field));
    }

    /**
     * The items of one body of a verified source, on their way from checked to written. The source's rules are read
     * (from the registry's cache) once, when the first item needs them.
     */
    private final class Body implements IdempotentIngest.Write {
        private final List<JsonNode> items;
        private final boolean indexed;
        private final String token;
        private final String sourceId;
        private final IntFunction<String> syncIdOf;
        private final Optional<TraceParent> trace;
        private final ItemAnswer[] answers;
        private SourceRules rules;
        private boolean written;

        /** @param syncIdOf the syncId of the item at an index, asked for once per item ready to be written */
        Body(List<JsonNode> items, boolean indexed, String token, String sourceId, IntFunction<String> syncIdOf,
             Optional<TraceParent> trace) {
            this.items = items;
            this.trace = trace;
            this.indexed = indexed;
            this.token = token;
            this.sourceId = sourceId;
            this.syncIdOf = syncIdOf;
            this.answers = new ItemAnswer[items.size()];
        }

        @Override
        public boolean written() {
            return written;
        }

        /** @throws SourceUnavailableException when the source registry cannot say what the source may do */
        private SourceRules rules() {
            if (rules == null) {
                rules = sources.rules(sourceId);
            }
            return rules;
        }

        @Override
        public GatewayAnswer answer() {
            try {
                return checkBindAndWrite();
            } catch (SourceUnavailableException e) {
                log.error("source.unavailable").sourceId(sourceId).reason(e.getMessage()).write();
                return SyncAnswers.single(ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE,
                        "the source's policy cannot be read now, try again later; nothing was written", null));
            }
        }

        /**
         * One sync request to check and write: an item of the body, or one target of a fan-out item
         * ({@code target} >= 0, {@link FanOut}).
         */
        private record Part(int item, int target, JsonNode request) {
        }

        /**
         * Checks every item (a fan-out item as one request per target: all or none of them are written), keeps the
         * cap, binds the tokens, then writes the ready ones in one PutMessages call.
         */
        private GatewayAnswer checkBindAndWrite() {
            List<Integer> readyAt = new ArrayList<>();
            List<CheckedItem.Ready> ready = new ArrayList<>();
            List<Part> readyParts = new ArrayList<>();
            String[] parentIds = new String[items.size()];
            for (Part part : parts()) {
                int index = part.item();
                if (answers[index] != null) {
                    continue; // a target of this fan-out item was refused already
                }
                CheckedItem checked = checker.check(part.request(), token != null ? TokenSupply.WITH_REQUEST
                        : TokenSupply.NONE, sourceId, this::rules, () -> {
                            if (parentIds[index] == null) {
                                parentIds[index] = syncIdOf.apply(index);
                            }
                            return part.target() < 0 ? parentIds[index]
                                    : FanOut.syncIdOf(parentIds[index], part.target());
                        }, trace);
                if (checked instanceof CheckedItem.Rejected rejected) {
                    reject(index, ItemAnswer.rejected(rejected.status(), part.target() < 0 ? rejected.error()
                            : FanOut.ofTarget(rejected.error(), part.target())));
                } else if (checked instanceof CheckedItem.Ready r) {
                    readyAt.add(index);
                    ready.add(r);
                    readyParts.add(part);
                }
            }
            GatewayAnswer overCap = ready.isEmpty() ? null : bindTokens(readyAt, ready);
            if (overCap != null) {
                return overCap;
            }
            List<Part> writeParts = new ArrayList<>();
            List<CheckedItem.Ready> toWrite = new ArrayList<>();
            for (int j = 0; j < ready.size(); j++) {
                if (answers[readyAt.get(j)] == null) {
                    writeParts.add(readyParts.get(j));
                    toWrite.add(ready.get(j));
                }
            }
            if (!toWrite.isEmpty()) {
                answerWritten(writeParts, parentIds, write(toWrite));
            }
            return indexed ? SyncAnswers.batch(List.of(answers)) : SyncAnswers.single(answers[0]);
        }

        /** The body's sync requests: each item, or each target of a fan-out item (a malformed one is refused). */
        private List<Part> parts() {
            List<Part> parts = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                if (!FanOut.asks(item)) {
                    parts.add(new Part(i, -1, item));
                    continue;
                }
                Validated<List<ObjectNode>> targets = FanOut.expand(item, config.maxFanOutTargets());
                if (!targets.isOk()) {
                    reject(i, ItemAnswer.rejected(400, targets.error()));
                    continue;
                }
                for (int n = 0; n < targets.value().size(); n++) {
                    parts.add(new Part(i, n, targets.value().get(n)));
                }
            }
            return parts;
        }

        /**
         * Each item's answer from its parts' writes: a single item's own; a fan-out item's 202 lists every target
         * ({@link SyncAccepted#targets()}), or 503 when one of its targets could not be written (the others were:
         * they are delivered, and a resend with the same Idempotency-Key gets this same answer).
         */
        private void answerWritten(List<Part> parts, String[] parentIds, List<ItemAnswer> written) {
            java.util.Map<Integer, List<ItemAnswer>> byItem = new java.util.LinkedHashMap<>();
            for (int j = 0; j < parts.size(); j++) {
                Part part = parts.get(j);
                if (part.target() < 0) {
                    answers[part.item()] = written.get(j);
                } else {
                    byItem.computeIfAbsent(part.item(), k -> new ArrayList<>()).add(written.get(j));
                }
            }
            byItem.forEach((item, targets) -> {
                if (targets.stream().allMatch(a -> a.accepted() != null)) {
                    List<SyncAccepted> each = targets.stream().map(ItemAnswer::accepted).toList();
                    answers[item] = ItemAnswer.accepted(new SyncAccepted(parentIds[item], each.get(0).partition(),
                            each.get(0).offset(), each.get(0).traceId(), each));
                } else {
                    answers[item] = ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE, "not every target could be"
                            + " written to the stream (those that were will be delivered); try again later", null);
                }
            });
        }

        /**
         * Reserves room under the source's cap for the secrets the ready items would create, then binds each item's
         * token; an item whose token cannot be bound gets its rejection. Returns the whole body's 429 (nothing
         * created, nothing written) when the secrets would pass the cap, else null.
         */
        private GatewayAnswer bindTokens(List<Integer> readyAt, List<CheckedItem.Ready> ready) {
            Set<String> newNames = new LinkedHashSet<>();
            int firstBeyond = -1;
            SecretQuota.Reservation room;
            try {
                List<Integer> newAt = new ArrayList<>();
                for (int j = 0; j < ready.size(); j++) {
                    String name = ready.get(j).vaultName();
                    if (name != null && !newNames.contains(name) && !tokens.exists(name)) {
                        newNames.add(name);
                        newAt.add(readyAt.get(j));
                    }
                }
                room = quota.reserve(sourceId, newNames.size(), rules().maxSecrets());
                if (!room.granted()) {
                    firstBeyond = newAt.get(room.room());
                }
            } catch (VaultUnavailableException e) {
                // the cap cannot be kept without Vault: the items that need a token are not written, the others are
                log.error("vault.unavailable").sourceId(sourceId).status(e.status()).reason(e.getMessage()).write();
                for (int j = 0; j < ready.size(); j++) {
                    if (ready.get(j).vaultName() != null) {
                        answers[readyAt.get(j)] = TokenBinding.unavailable();
                    }
                }
                return null;
            }
            if (firstBeyond >= 0) {
                String field = indexed ? "[" + firstBeyond + "]." + SECRET_FIELD : SECRET_FIELD;
                log.warn("sync.rejected").sourceId(sourceId).status(429)
                        .code(ErrorCodes.SECRET_LIMIT_EXCEEDED).field(field).count("newSecrets", newNames.size())
                        .count("maxSecrets", rules().maxSecrets()).write();
                return SyncAnswers.single(ItemAnswer.rejected(429, new ApiError(ErrorCodes.SECRET_LIMIT_EXCEEDED,
                        "the source may own at most " + rules().maxSecrets() + " live token secrets; this request"
                                + " needs " + newNames.size() + " new ones and " + room.room() + " are left; nothing"
                                + " was written", field, ApiError.MAX_SECRETS)));
            }
            int created = 0;
            for (int j = 0; j < ready.size(); j++) {
                CheckedItem.Ready r = ready.get(j);
                if (r.vaultName() == null) {
                    continue;
                }
                TokenBinding.Bound bound = tokens.bind(r.vaultName(), r.stored().vaultSecretName(), token, sourceId);
                created += bound.created() ? 1 : 0;
                if (bound.refusal() != null) {
                    reject(readyAt.get(j), bound.refusal());
                }
            }
            room.release(newNames.size() - created);
            return null;
        }

        private void reject(int index, ItemAnswer rejected) {
            answers[index] = rejected.under(indexed ? "[" + index + "]" : "");
            log.warn("sync.rejected").sourceId(sourceId).status(rejected.status())
                    .code(rejected.error().code()).field(rejected.error().field()).item(index).write();
        }

        /** Accepted for each entry PutMessages placed, 503 for each it did not; in the order given. */
        private List<ItemAnswer> write(List<CheckedItem.Ready> ready) {
            List<StreamEntry> entries = new ArrayList<>(ready.size());
            for (CheckedItem.Ready r : ready) {
                entries.add(new StreamEntry(r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8),
                        r.value()));
            }
            String stream = config.streams().dataStream();
            List<EntryResult> results = writer.put(stream, entries);
            List<ItemAnswer> written = new ArrayList<>(ready.size());
            int accepted = 0;
            for (int j = 0; j < ready.size(); j++) {
                CheckedItem.Ready r = ready.get(j);
                EntryResult result = results.get(j);
                String syncId = r.stored().syncId();
                String traceId = r.stored().trace().map(TraceParent::traceId).orElse(null);
                if (result.ok()) {
                    this.written = true;
                    accepted++;
                    written.add(ItemAnswer.accepted(new SyncAccepted(syncId, result.partition(), result.offset(),
                            traceId)));
                    log.info(LogEvents.ACCEPTED).syncId(syncId).traceId(traceId).sourceId(sourceId).streamId(stream)
                            .partition(result.partition()).offset(result.offset()).targetHost(r.targetHost())
                            .status(202).write();
                } else {
                    written.add(ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE,
                            "the message could not be written to the stream, try again later", null));
                    log.error("sync.write_failed").syncId(syncId).traceId(traceId).sourceId(sourceId).streamId(stream)
                            .status(result.httpStatus()).code(result.error()).write();
                }
            }
            metrics.accepted(sourceId, accepted);
            return written;
        }
    }
}
