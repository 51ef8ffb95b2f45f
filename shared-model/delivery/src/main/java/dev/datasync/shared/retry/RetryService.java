package dev.datasync.shared.retry;

import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.replay.PartitionBusyException;
import dev.datasync.shared.replay.PartitionClaim;
import dev.datasync.shared.replay.PartitionClaims;
import dev.datasync.shared.replay.PartitionLease;
import dev.datasync.shared.retry.internal.ReplayPage;
import dev.datasync.shared.retry.internal.RetryRouting;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.routing.RouteSelector;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateUnavailableException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Replays part of an error stream: read ({@link ErrorStreamReader}), deliver and route through the same
 * {@link BatchPipeline} as ReadDataStream, with the request's errormapping first ({@link RetryRouting}), one
 * GetMessages page at a time — each page is settled before the next is read. Failures whose route is the retried
 * stream itself stay where they are (see {@link RetryResponse}). When the function's time runs out, the call stops
 * before the first message not tried: that message is neither processed nor failed and {@code lastReadOffset}
 * points just before it.
 * <p>
 * One replay per partition at a time: the call first claims the partition ({@link PartitionClaims}: its lease,
 * else {@link PartitionBusyException}, and its marks). Messages an earlier replay or the redrive pass settled are
 * not sent again ({@code alreadyDeliveredMessages}, {@code alreadyMovedMessages}); what a page settles is recorded
 * before the next page is read and before the answer counts it. A page whose marks cannot be written is not
 * counted and ends the call there (its deliveries are repeated by the next call, under the same Idempotency-Keys).
 */
public final class RetryService {

    /** How long a replay's lease outlives its last renewal: a crashed replay blocks its partition this long. */
    public static final Duration LEASE_TTL = Duration.ofSeconds(30);

    private final ErrorStreamReader reader;
    private final BatchPipeline pipeline;
    private final RouteSelector applicationRoutes;
    private final PartitionClaims claims;
    private final JsonLog log;

    public RetryService(ErrorStreamReader reader, BatchPipeline pipeline, RouteSelector applicationRoutes,
                        PartitionClaims claims, JsonLog log) {
        this.reader = reader;
        this.pipeline = pipeline;
        this.applicationRoutes = applicationRoutes;
        this.claims = claims;
        this.log = log;
    }

    /** Totals over the pages settled and recorded so far. */
    private static final class Progress {
        long lastRead;
        int read;
        int delivered;
        int filtered;
        int routed;
        int leftInPlace;
        int notStarted;
        int alreadyDelivered;
        int alreadyMoved;
        /** Why reading stopped before the deadline or the count: the lease was lost, or the marks not written. */
        String cut;
        /** Why a page's marks could not be written. */
        RuntimeException unrecorded;

        Progress(long readAfterOffset) {
            this.lastRead = readAfterOffset;
        }
    }

    /**
     * @throws PartitionBusyException     when another replay or the redrive pass holds the partition (nothing read),
     *                                    or took it over before a page was recorded
     * @throws StateUnavailableException  when the state store cannot be reached and no page could be recorded
     * @throws StreamUnavailableException when the stream cannot be read before any page was settled
     */
    public RetryResponse retry(RetryRequest request, Deadline deadline) {
        try (PartitionClaim claim = claims.take(request.streamOCIDToRetry(), request.readPartition(),
                PartitionLease.newHolder("replay"), LEASE_TTL)) {
            return replay(request, deadline, claim);
        }
    }

    private RetryResponse replay(RetryRequest request, Deadline deadline, PartitionClaim claim) {
        String stream = request.streamOCIDToRetry();
        RouteSelector routes = new RetryRouting(request.errormapping(), applicationRoutes);
        Progress p = new Progress(request.readAfterOffset());
        ErrorStreamReader.ReadResult result;
        try {
            result = reader.read(stream, request.readPartition(), request.readAfterOffset(),
                    request.noOfMessagesToProcess(), page -> settle(page, request, deadline, routes, claim, p));
        } catch (StreamUnavailableException e) {
            if (p.read == 0) {
                throw e; // nothing done yet: the caller answers 503 and the same call can simply be repeated
            }
            // a later page could not be read: answer what the pages before it came to, so the next call starts
            // after them instead of delivering and routing them again
            log.warn("retry.read_failed").streamId(stream).partition(request.readPartition()).offset(p.lastRead)
                    .status(e.status()).code(e.serviceCode()).write();
            result = new ErrorStreamReader.ReadResult(p.read, false, false, true);
        }
        if (p.cut != null && p.read == 0) {
            // no page is recorded, so none may be claimed: the same call is to be repeated, once the state store
            // answers, or once whoever took the partition over is done with it
            throw p.unrecorded instanceof StateUnavailableException unavailable ? unavailable
                    : new PartitionBusyException(request.readPartition(), null, LEASE_TTL);
        }
        boolean end = result.reachedTip() && !result.stopped();
        RetryResponse response = new RetryResponse(p.lastRead, p.delivered + p.filtered, p.routed + p.leftInPlace,
                end, p.routed, p.leftInPlace, result.offsetTrimmed(), p.alreadyDelivered, p.alreadyMoved, p.filtered);
        log.info("retry.done").streamId(stream).partition(request.readPartition())
                .offset(p.lastRead).count("read", p.read).count("delivered", p.delivered)
                .count("filtered", p.filtered).count("failed", p.routed + p.leftInPlace)
                .count("leftInPlace", p.leftInPlace)
                .count("notStarted", p.notStarted).count("alreadyDelivered", p.alreadyDelivered)
                .count("alreadyMoved", p.alreadyMoved)
                .outcome(end ? "endOfStream" : p.cut != null ? p.cut : p.notStarted > 0 ? "timeRanOut" : "more")
                .write();
        return response;
    }

    /** Delivers, routes and records one page; false (stop reading) when the time ran out or it is not recorded. */
    private boolean settle(List<ErrorStreamReader.StoredMessage> page, RetryRequest request, Deadline deadline,
                           RouteSelector routes, PartitionClaim claim, Progress p) {
        if (!claim.held()) {
            p.cut = "leaseLost";
            return false;
        }
        if (p.read == 0 && request.readAfterOffset() == -1) {
            // read from the oldest retained message: marks below it name offsets no replay can read any more
            claim.forgetBelow(page.get(0).offset());
        }
        ReplayPage split = ReplayPage.split(page, claim);
        List<ErrorStreamReader.StoredMessage> todo = split.toDeliver();
        BatchReport report = todo.isEmpty() ? new BatchReport(List.of(), 0, 0, Set.of(), 0, List.of())
                : pipeline.processUntilTimeRunsOut(inbound(todo, request), deadline, routes,
                request.streamOCIDToRetry());
        try {
            split.record(claim, report);
        } catch (StateUnavailableException | StateConflictException e) {
            log.warn("retry.marks_not_written").streamId(request.streamOCIDToRetry())
                    .partition(request.readPartition()).offset(p.lastRead).code(e.getClass().getSimpleName())
                    .write();
            p.cut = "marksNotWritten";
            p.unrecorded = e;
            return false;
        }
        // the first message never tried stays unprocessed: the next call (readAfterOffset = lastReadOffset) starts
        // exactly there; messages an earlier replay settled count only up to it
        boolean cutShort = report.settled() < todo.size();
        long firstUntried = cutShort ? todo.get(report.settled()).offset() : Long.MAX_VALUE;
        p.read += page.size();
        p.delivered += report.delivered();
        p.filtered += report.filtered();
        p.routed += report.routed();
        p.leftInPlace += report.leftInPlace();
        p.alreadyDelivered += split.alreadyDeliveredBelow(firstUntried);
        p.alreadyMoved += split.alreadyMovedBelow(firstUntried);
        if (cutShort) {
            p.notStarted = todo.size() - report.settled();
            p.lastRead = firstUntried - 1;
            return false;
        }
        p.lastRead = page.get(page.size() - 1).offset();
        return !deadline.passed(); // no time left to deliver another page: do not read it
    }

    private static List<InboundMessage> inbound(List<ErrorStreamReader.StoredMessage> messages,
                                                RetryRequest request) {
        List<InboundMessage> batch = new ArrayList<>(messages.size());
        for (ErrorStreamReader.StoredMessage m : messages) {
            String key = m.key() == null ? null : new String(m.key(), StandardCharsets.UTF_8);
            batch.add(InboundMessage.decoded(key, m.value(),
                    new Source(request.streamOCIDToRetry(), request.readPartition(), m.offset())));
        }
        return batch;
    }
}
