package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.IngestStack;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.BucketUnavailableException;
import dev.datasync.shared.oci.IngestBucket;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.sync.SyncItemChecker;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * An OCI Events invocation for an object of the ingest bucket: a file a source uploaded under
 * {@code incoming/<source id>/} (matching {@code ingest_object_name_pattern}), or the continuation marker of a file
 * this function checkpointed ({@code continue/<source id>/…}). Anything else — another bucket, another kind of event,
 * a name outside the pattern — is ignored, so an event of another rule can never make it read another object.
 * An event for a version that is no longer the object's is ignored too: the newer version has an event of its own.
 * The file itself is {@link FileIngest}'s. No FDK type: {@code BulkIngestFunction} adapts it. Thread-safe; one per
 * container.
 */
public final class IngestHandler {

    /** A claim outlives the invocation's deadline by this much, in case it dies before giving it back. */
    static final Duration LEASE_GRACE = Duration.ofSeconds(30);

    private final DataSyncConfig config;
    private final IngestBucket bucket;
    private final FileIngest files;
    private final PipelineMetrics metrics;
    private final JsonLog log;
    private final Clock clock;

    /** @param metrics where {@code sync.accepted} is counted, published once per invocation */
    public IngestHandler(DataSyncConfig config, TargetGuard guard, StreamWriter writer, TokenVault vault,
                         SourceRegistry sources, StateObjects state, IngestBucket bucket, PipelineMetrics metrics,
                         JsonLog log, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.bucket = bucket;
        this.log = log;
        this.clock = clock;
        LineChecker checker = new LineChecker(new SyncItemChecker(config, guard, clock), vault);
        this.files = new FileIngest(config, checker, writer, sources, bucket, new IngestLedger(state), metrics, log,
                clock);
    }

    /** The container's handler, over the stack's pieces and the system clock. */
    public IngestHandler(DataSyncConfig config, IngestStack stack, JsonLog log) {
        this(config, stack.guard(), stack.writer(), stack.vault(), stack.sources(), stack.state(), stack.bucket(),
                stack.metrics(), log, Clock.systemUTC());
    }

    /** @param functionDeadline the invocation's {@code Fn-Deadline} */
    public byte[] handle(byte[] body, Instant functionDeadline) {
        try {
            return Json.toBytes(answer(body, functionDeadline));
        } finally {
            metrics.publish();
        }
    }

    IngestAnswer answer(byte[] body, Instant functionDeadline) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : Json.parse(body);
        } catch (IOException e) {
            json = null;
        }
        Optional<ObjectEvent> event = ObjectEvent.of(json);
        if (event.isEmpty()) {
            return ignored("not an Object Storage create or update event", null);
        }
        ObjectEvent e = event.get();
        if (!e.bucket().equals(config.ingest().bucket())) {
            return ignored("an object of bucket " + e.bucket() + ", not " + config.ingest().bucket(), e.objectName());
        }
        Optional<String> namespace = config.state().namespace();
        if (namespace.isPresent() && !e.namespace().isEmpty() && !namespace.get().equals(e.namespace())) {
            return ignored("an object of namespace " + e.namespace(), e.objectName());
        }
        boolean continuation = e.objectName().startsWith(IngestNames.CONTINUE);
        if (!continuation && !config.ingest().admits(e.objectName())) {
            return ignored("the name does not match ingest_object_name_pattern", e.objectName());
        }
        Optional<IngestNames> names = continuation ? IngestNames.ofMarker(e.objectName())
                : IngestNames.ofInput(e.objectName());
        if (names.isEmpty()) {
            return ignored("not incoming/<source id>/<file>", e.objectName());
        }
        Optional<IngestBucket.Version> version;
        try {
            version = bucket.head(names.get().input());
        } catch (BucketUnavailableException ex) {
            log.error("ingest.unavailable").object(names.get().input()).reason(ex.getMessage()).write();
            return IngestAnswer.of("retryLater", names.get().input(), ex.getMessage());
        }
        if (version.isEmpty()) {
            log.info("ingest.gone").object(names.get().input()).write();
            return IngestAnswer.of("gone", names.get().input(), "no such object: ingested already, or deleted");
        }
        if (!continuation && e.etag() != null && !e.etag().equals(version.get().etag())) {
            log.info("ingest.superseded").object(names.get().input()).write();
            return IngestAnswer.of("gone", names.get().input(), "a newer version replaced it; its own event follows");
        }
        return files.ingest(names.get(), version.get(), readingDeadline(functionDeadline),
                functionDeadline.plus(LEASE_GRACE));
    }

    /**
     * When reading stops: a fifth of the time the invocation has is kept (at least 2 s, at most 20 s) for the last
     * batch, the checkpoint and, if it ends, the result object.
     */
    private Deadline readingDeadline(Instant functionDeadline) {
        Duration left = Duration.between(clock.instant(), functionDeadline);
        Duration reserve = left.dividedBy(5);
        if (reserve.compareTo(Duration.ofSeconds(2)) < 0) {
            reserve = Duration.ofSeconds(2);
        } else if (reserve.compareTo(Duration.ofSeconds(20)) > 0) {
            reserve = Duration.ofSeconds(20);
        }
        return Deadline.of(functionDeadline, reserve, clock);
    }

    private IngestAnswer ignored(String reason, String object) {
        log.info("ingest.ignored").object(object).reason(reason).write();
        return IngestAnswer.ignored(reason);
    }
}
