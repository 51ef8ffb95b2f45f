package dev.datasync.ingest;

import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.SourceUnavailableException;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.metrics.PipelineMetrics;
import dev.datasync.shared.oci.BucketUnavailableException;
import dev.datasync.shared.oci.EntryResult;
import dev.datasync.shared.oci.IngestBucket;
import dev.datasync.shared.oci.SourceRegistry;
import dev.datasync.shared.oci.SourceRules;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.VaultUnavailableException;
import dev.datasync.shared.state.StateUnavailableException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Ingests one version of one uploaded file, as far as this invocation's time allows: claims it (one invocation at a
 * time per version), refuses it as a whole when it cannot be a file of sync requests (no registered source, too
 * large, empty, not JSON Lines — nothing of it is written), else reads it from its checkpoint on, line by line,
 * writes the valid lines to DataSyncStream in file order in batches of at most one PutMessages request (1 MB), and
 * after each batch records the batch's line results and the checkpoint. Out of time, it gives the lease back and
 * writes the continuation marker, whose event starts the next invocation at the checkpoint: no line is lost or
 * written twice. Once every line is settled it writes the result object, moves the file to {@code processed/} and
 * marks the version done. Thread-safe; one per container ({@link Run} is one invocation's).
 */
final class FileIngest {

    /** Most lines per batch (a result part): a 1 MB PutMessages request ends most batches first. */
    static final int BATCH_LINES = 5_000;
    /** Invocations in a row that may fail to make progress before the file waits for a new event. */
    static final int MAX_FAILED_INVOCATIONS = 5;
    /** Room a line has beyond the stored message's limit: its stream key and the request's own JSON. */
    private static final int LINE_HEADROOM_BYTES = 4096;

    private final DataSyncConfig config;
    private final LineChecker checker;
    private final LineWriter writer;
    private final SourceRegistry sources;
    private final IngestBucket bucket;
    private final IngestLedger ledger;
    private final PipelineMetrics metrics;
    private final JsonLog log;
    private final Clock clock;

    FileIngest(DataSyncConfig config, LineChecker checker, StreamWriter writer, SourceRegistry sources,
               IngestBucket bucket, IngestLedger ledger, PipelineMetrics metrics, JsonLog log, Clock clock) {
        this.metrics = metrics;
        this.config = config;
        this.checker = checker;
        this.writer = new LineWriter(writer, config.streams().dataStream(), FileIngest::sleep, log);
        this.sources = sources;
        this.bucket = bucket;
        this.ledger = ledger;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param deadline   when this invocation stops reading and checkpoints (its own deadline less a reserve)
     * @param leaseUntil how long the claim holds should the invocation die without giving it back
     */
    IngestAnswer ingest(IngestNames names, IngestBucket.Version version, Deadline deadline, Instant leaseUntil) {
        return new Run(names, version, deadline, leaseUntil).run();
    }

    private final class Run {
        private final IngestNames names;
        private final IngestBucket.Version version;
        private final Deadline deadline;
        private final Instant leaseUntil;
        private final String owner = UUID.randomUUID().toString();
        private final String folder;
        private final long started = System.nanoTime();
        private IngestState state;
        private String etag;
        private SourceRules rules;

        Run(IngestNames names, IngestBucket.Version version, Deadline deadline, Instant leaseUntil) {
            this.names = names;
            this.version = version;
            this.deadline = deadline;
            this.leaseUntil = leaseUntil;
            this.folder = names.stateFolder(version.etag());
        }

        IngestAnswer run() {
            Instant now = clock.instant();
            IngestLedger.Claim claim;
            try {
                claim = ledger.claim(folder, owner, leaseUntil, now, () -> IngestState.started(names.input(),
                        version.etag(), names.sourceId(), version.size(), UUID.randomUUID().toString(), owner,
                        leaseUntil, now));
            } catch (StateUnavailableException | IngestLedger.LeaseLost e) {
                log.error("ingest.unavailable").object(names.input()).sourceId(names.sourceId())
                        .reason(e.getMessage()).write();
                return IngestAnswer.of("retryLater", names.input(), e.getMessage());
            }
            if (claim instanceof IngestLedger.Claim.Busy busy) {
                log.info("ingest.busy").object(names.input()).sourceId(names.sourceId()).write();
                return IngestAnswer.of("busy", busy.state());
            }
            if (claim instanceof IngestLedger.Claim.Done done) {
                log.info("ingest.already_done").object(names.input()).sourceId(names.sourceId()).write();
                return IngestAnswer.of("alreadyDone", done.state());
            }
            IngestLedger.Claim.Mine mine = (IngestLedger.Claim.Mine) claim;
            state = mine.state();
            etag = mine.etag();
            log.info("ingest.claimed").object(names.input()).sourceId(names.sourceId()).line(state.nextLine())
                    .attempt(state.invocations()).write();
            try {
                if (state.phase() == IngestState.Phase.READING && state.nextLine() == 1 && state.parts() == 0) {
                    refuseUnfitFile();
                }
                if (state.phase() == IngestState.Phase.READING) {
                    Optional<IngestAnswer> stopped = read();
                    if (stopped.isPresent()) {
                        return stopped.get();
                    }
                }
                return finish();
            } catch (IngestLedger.LeaseLost e) {
                log.warn("ingest.lease_lost").object(names.input()).sourceId(names.sourceId()).write();
                return IngestAnswer.of("leaseLost", names.input(), e.getMessage());
            } catch (LineWriter.WriteFailed | BucketUnavailableException | StateUnavailableException
                     | VaultUnavailableException | SourceUnavailableException e) {
                return retryLater(e);
            }
        }

        private SourceRules rules() {
            if (rules == null) {
                rules = sources.rules(names.sourceId());
            }
            return rules;
        }

        /** A file that cannot be one of sync requests is refused whole, before a line is read. */
        private void refuseUnfitFile() {
            Optional<ApiError> refusal = FileRefusals.beforeReading(rules(), version,
                    config.ingest().maxObjectBytes());
            if (refusal.isPresent()) {
                state = state.refused(refusal.get());
                etag = ledger.save(folder, state, etag);
            }
        }

        /** Reads from the checkpoint on; empty once every line is settled, else why it stopped. */
        private Optional<IngestAnswer> read() {
            if (state.nextByte() >= version.size()) {
                allRead(state.accepted() + state.rejected() > 0);
                return Optional.empty();
            }
            Optional<InputStream> opened = bucket.open(names.input(), version.etag(), state.nextByte());
            if (opened.isEmpty()) {
                release(false);
                log.info("ingest.gone").object(names.input()).sourceId(names.sourceId()).write();
                return Optional.of(IngestAnswer.of("gone", state));
            }
            int maxLine = config.syncLimits().maxMessageBytes() + LINE_HEADROOM_BYTES;
            try (InputStream in = opened.get()) {
                LineReader reader = new LineReader(in, state.nextLine(), state.nextByte(), maxLine);
                LineBatch batch = new LineBatch();
                boolean content = state.accepted() + state.rejected() > 0;
                for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
                    long number = line.number();
                    LineChecker.Verdict v = checker.check(line, names.sourceId(), this::rules,
                            () -> state.syncId(number));
                    if (!content && !(v instanceof LineChecker.Blank)) {
                        content = true;
                        if (v instanceof LineChecker.Refused r && r.notJson()) {
                            state = state.refused(FileRefusals.notJsonLines(number, r.error()));
                            etag = ledger.save(folder, state, etag);
                            return Optional.empty();
                        }
                    }
                    if (v instanceof LineChecker.Ready r && !batch.fits(r.entry())) {
                        flush(batch);
                        batch = new LineBatch();
                    }
                    batch.add(line, v);
                    if (batch.lines() >= BATCH_LINES || deadline.passed()) {
                        flush(batch);
                        batch = new LineBatch();
                        if (deadline.passed()) {
                            return Optional.of(pause());
                        }
                    }
                }
                flush(batch);
                allRead(content);
                return Optional.empty();
            } catch (IOException e) {
                throw new BucketUnavailableException("reading " + names.input() + " failed: "
                        + e.getClass().getSimpleName(), e);
            }
        }

        private void allRead(boolean content) {
            state = content ? state.allRead() : state.refused(FileRefusals.empty());
            etag = ledger.save(folder, state, etag);
        }

        /** Writes the batch's valid lines, records its line results as the next part, then the checkpoint. */
        private void flush(LineBatch batch) {
            if (batch.lines() == 0) {
                return;
            }
            List<EntryResult> written = writer.write(batch.entries(), names.input());
            metrics.accepted(names.sourceId(), batch.ready());
            int part = state.parts() + 1;
            ledger.writePart(folder, part, batch.results(written));
            state = state.advanced(batch.nextLine(), batch.nextByte(), part, state.accepted() + batch.ready(),
                    state.rejected() + batch.refused(), state.blank() + batch.blank());
            etag = ledger.save(folder, state, etag);
        }

        /** Out of time: the checkpoint stands, the lease goes back, and the marker's event resumes the file. */
        private IngestAnswer pause() {
            release(false);
            writeMarker();
            log.info("ingest.continued").object(names.input()).sourceId(names.sourceId()).line(state.nextLine())
                    .count("written", state.accepted()).count("refused", state.rejected())
                    .durationMs((System.nanoTime() - started) / 1_000_000).write();
            return IngestAnswer.of("continued", state);
        }

        private IngestAnswer retryLater(RuntimeException e) {
            log.error("ingest.failed").object(names.input()).sourceId(names.sourceId()).line(state.nextLine())
                    .code(e.getClass().getSimpleName()).reason(e.getMessage()).write();
            try {
                release(true);
                if (state.failedInvocations() < MAX_FAILED_INVOCATIONS) {
                    sleep(backoff(state.failedInvocations()));
                    writeMarker();
                } else {
                    log.error("ingest.stalled").object(names.input()).sourceId(names.sourceId())
                            .attempt(state.failedInvocations()).reason("waits in incoming/ for a new event: upload"
                                    + " it again or re-send its event").write();
                }
            } catch (RuntimeException again) {
                log.error("ingest.release_failed").object(names.input()).code(again.getClass().getSimpleName())
                        .write();
            }
            return IngestAnswer.of("retryLater", state);
        }

        private Duration backoff(int failures) {
            Duration wait = Duration.ofSeconds(1L << Math.min(4, Math.max(0, failures - 1)));
            Duration left = deadline.remaining();
            return wait.compareTo(left) > 0 ? left : wait;
        }

        private void release(boolean failed) {
            state = state.released(failed);
            etag = ledger.save(folder, state, etag);
        }

        private void writeMarker() {
            bucket.put(names.marker(), Json.toBytes(Map.of("object", names.input(), "etag", version.etag(),
                    "nextLine", state.nextLine())), "application/json");
        }

        /** Every line is settled: the result object, the move to processed/, the end. */
        private IngestAnswer finish() {
            if (deadline.passed()) {
                return pause();
            }
            ByteArrayOutputStream results = new ByteArrayOutputStream();
            if (state.fileError() == null) {
                results.writeBytes(ledger.parts(folder, state.parts()));
            }
            results.writeBytes(ResultLines.summary(state, names.processed()));
            bucket.put(names.results(), results.toByteArray(), "application/x-ndjson");
            bucket.rename(names.input(), version.etag(), names.processed());
            bucket.delete(names.marker());
            state = state.done(clock.instant());
            etag = ledger.save(folder, state, etag);
            try {
                ledger.deleteParts(folder, state.parts());
            } catch (RuntimeException e) {
                log.warn("ingest.parts_left").object(names.input()).code(e.getClass().getSimpleName()).write();
            }
            String outcome = state.fileError() == null ? "done" : "refused";
            log.info("ingest." + outcome).object(names.input()).sourceId(names.sourceId())
                    .count("lines", state.nextLine() - 1).count("written", state.accepted())
                    .count("refused", state.rejected()).code(state.fileError() == null ? null
                            : state.fileError().code()).attempt(state.invocations())
                    .durationMs((System.nanoTime() - started) / 1_000_000).write();
            return IngestAnswer.of(outcome, state);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }
}
