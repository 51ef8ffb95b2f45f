package dev.datasync.populate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.SyncAccepted;
import dev.datasync.shared.fn.GatewayAnswer;
import dev.datasync.shared.fn.SyncStack;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.StreamEntry;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * POST /stream/sync: validate, guard the target, bind the token in Vault, write to DataSyncStream, answer.
 * A body is one sync request object, or a JSON array of them answered item by item. Nothing is written for a
 * rejected item, and an item counts as accepted only once PutMessages returned its offset for it: PutMessages answers
 * per entry, and a 202 for an entry OCI did not store would lose the message. No FDK type: {@code PopulateDataStreamFunction} adapts it. Thread-safe; one
 * per container.
 */
public final class SyncHandler {

    private final DataSyncConfig config;
    private final SyncItemChecker checker;
    private final TokenBinding tokens;
    private final StreamWriter writer;
    private final SecretSweeper sweeper;
    private final JsonLog log;

    /** @param sweeper deletes unused token secrets in the background; null: none (tests of other concerns) */
    public SyncHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault,
                       SecretSweeper sweeper, JsonLog log, Clock clock, Supplier<String> syncIds) {
        this.config = config;
        this.tokens = new TokenBinding(vault, log);
        this.checker = new SyncItemChecker(config, guard, tokens, clock, syncIds);
        this.writer = writer;
        this.sweeper = sweeper;
        this.log = log;
    }

    /** The container's handler: the stack's pieces, the system clock, random syncIds. */
    public SyncHandler(DataSyncConfig config, SyncStack stack, JsonLog log) {
        this(config, stack.guard(), stack.writer(), stack.vault(), stack.sweeper(), log, Clock.systemUTC(),
                () -> UUID.randomUUID().toString());
    }

    /**
     * @param method        the gateway's HTTP method ("" when invoked directly, treated as POST)
     * @param authorization the caller's Authorization header, if any (never logged)
     */
    public GatewayAnswer handle(String method, Optional<String> authorization, byte[] body) {
        try {
            return answer(method, authorization, body);
        } finally {
            if (sweeper != null && tokens.vaultInUse()) {
                sweeper.requestSweep(); // returns at once; the sweep (at most hourly) runs on its own thread
            }
        }
    }

    private GatewayAnswer answer(String method, Optional<String> authorization, byte[] body) {
        if (method != null && !method.isEmpty() && !method.equalsIgnoreCase("POST")) {
            return refuse(405, ErrorCodes.METHOD_NOT_ALLOWED, "use POST");
        }
        JsonNode root;
        try {
            if (body == null || body.length == 0) {
                return refuse(400, ErrorCodes.MALFORMED_JSON, "the request body is empty");
            }
            root = Json.parse(body);
        } catch (IOException e) {
            return refuse(400, ErrorCodes.MALFORMED_JSON, "the request body is not valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            return refuse(400, ErrorCodes.MALFORMED_JSON, "the request body is empty");
        }
        if (!root.isArray()) {
            return SyncAnswers.single(process(List.of(root), authorization, false).get(0));
        }
        if (root.isEmpty()) {
            return refuse(400, ErrorCodes.INVALID_FIELD, "the array holds no sync requests");
        }
        int max = config.syncLimits().maxBatchItems();
        if (root.size() > max) {
            return refuse(400, ErrorCodes.TOO_MANY_ITEMS, "at most " + max + " sync requests per body");
        }
        List<JsonNode> items = new ArrayList<>();
        root.forEach(items::add);
        return SyncAnswers.batch(process(items, authorization, true));
    }

    /** A body refused as a whole, before any item is looked at. */
    private static GatewayAnswer refuse(int status, String code, String message) {
        return SyncAnswers.single(ItemAnswer.rejected(status, code, message, null));
    }

    /** Checks every item, then writes the ready ones in one PutMessages call; one answer per item, in order. */
    private List<ItemAnswer> process(List<JsonNode> items, Optional<String> authorization, boolean indexed) {
        ItemAnswer[] answers = new ItemAnswer[items.size()];
        List<Integer> readyAt = new ArrayList<>();
        List<CheckedItem.Ready> ready = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            CheckedItem checked = checker.check(items.get(i), authorization);
            if (checked instanceof ItemAnswer rejected) {
                answers[i] = rejected.under(indexed ? "[" + i + "]" : "");
                logRejected(rejected, i);
            } else if (checked instanceof CheckedItem.Ready r) {
                readyAt.add(i);
                ready.add(r);
            }
        }
        if (!ready.isEmpty()) {
            List<ItemAnswer> written = write(ready);
            for (int j = 0; j < ready.size(); j++) {
                answers[readyAt.get(j)] = written.get(j);
            }
        }
        return List.of(answers);
    }

    /** Accepted for each entry PutMessages placed, 503 for each it did not; in the order given. */
    private List<ItemAnswer> write(List<CheckedItem.Ready> ready) {
        List<StreamEntry> entries = new ArrayList<>(ready.size());
        for (CheckedItem.Ready r : ready) {
            entries.add(new StreamEntry(r.key() == null ? null : r.key().getBytes(StandardCharsets.UTF_8), r.value()));
        }
        String stream = config.streams().dataStream();
        List<EntryResult> results = writer.put(stream, entries);
        List<ItemAnswer> answers = new ArrayList<>(ready.size());
        for (int j = 0; j < ready.size(); j++) {
            CheckedItem.Ready r = ready.get(j);
            EntryResult result = results.get(j);
            String syncId = r.stored().syncId();
            if (result.ok()) {
                answers.add(ItemAnswer.accepted(new SyncAccepted(syncId, result.partition(), result.offset())));
                log.info("sync.accepted").syncId(syncId).streamId(stream).partition(result.partition())
                        .offset(result.offset()).targetHost(r.targetHost()).status(202).write();
            } else {
                answers.add(ItemAnswer.rejected(503, ErrorCodes.UNAVAILABLE,
                        "the message could not be written to the stream, try again later", null));
                log.error("sync.write_failed").syncId(syncId).streamId(stream).status(result.httpStatus())
                        .code(result.error()).write();
            }
        }
        return answers;
    }

    private void logRejected(ItemAnswer rejected, int index) {
        log.warn("sync.rejected").status(rejected.status()).code(rejected.error().code())
                .field(rejected.error().field()).item(index).write();
    }
}
