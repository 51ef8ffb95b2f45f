package dev.datasync.shared.retry;

import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.retry.internal.RetryRouting;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.routing.RouteSelector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays part of an error stream: read ({@link ErrorStreamReader}), deliver and route through the same
 * {@link BatchPipeline} as ReadDataStream, with the request's errormapping first ({@link RetryRouting}), one
 * GetMessages page at a time — each page is settled before the next is read. Failures whose route is the retried
 * stream itself stay where they are (see {@link RetryResponse}). When the function's time runs out, the call stops
 * before the first message not tried: that message is neither processed nor failed and {@code lastReadOffset}
 * points just before it.
 */
public final class RetryService {

    private final ErrorStreamReader reader;
    private final BatchPipeline pipeline;
    private final RouteSelector applicationRoutes;
    private final JsonLog log;

    public RetryService(ErrorStreamReader reader, BatchPipeline pipeline, RouteSelector applicationRoutes, JsonLog log) {
        this.reader = reader;
        this.pipeline = pipeline;
        this.applicationRoutes = applicationRoutes;
        this.log = log;
    }

    /** Totals over the pages settled so far. */
    private static final class Progress {
        long lastRead;
        int read;
        int delivered;
        int routed;
        int leftInPlace;
        int notStarted;

        Progress(long readAfterOffset) {
            this.lastRead = readAfterOffset;
        }
    }

    public RetryResponse retry(RetryRequest request, Deadline deadline) {
        String stream = request.streamOCIDToRetry();
        RouteSelector routes = new RetryRouting(request.errormapping(), applicationRoutes);
        Progress p = new Progress(request.readAfterOffset());
        ErrorStreamReader.ReadResult result;
        try {
            result = reader.read(stream, request.readPartition(), request.readAfterOffset(),
                    request.noOfMessagesToProcess(), page -> settle(page, request, deadline, routes, p));
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
        boolean end = result.reachedTip() && !result.stopped();
        RetryResponse response = new RetryResponse(p.lastRead, p.delivered, p.routed + p.leftInPlace, end,
                p.routed, p.leftInPlace, result.offsetTrimmed());
        log.info("retry.done").streamId(stream).partition(request.readPartition())
                .offset(p.lastRead).count("read", p.read).count("delivered", p.delivered)
                .count("failed", p.routed + p.leftInPlace).count("leftInPlace", p.leftInPlace)
                .count("notStarted", p.notStarted)
                .outcome(end ? "endOfStream" : p.notStarted > 0 ? "timeRanOut" : "more").write();
        return response;
    }

    /** Delivers and routes one page; false (stop reading) when the time ran out. */
    private boolean settle(List<ErrorStreamReader.StoredMessage> page, RetryRequest request, Deadline deadline,
                           RouteSelector routes,
                           Progress p) {
        List<InboundMessage> batch = new ArrayList<>(page.size());
        for (ErrorStreamReader.StoredMessage m : page) {
            String key = m.key() == null ? null : new String(m.key(), StandardCharsets.UTF_8);
            batch.add(InboundMessage.decoded(key, m.value(),
                    new Source(request.streamOCIDToRetry(), request.readPartition(), m.offset())));
        }
        BatchReport report = pipeline.processUntilTimeRunsOut(batch, deadline, routes, request.streamOCIDToRetry());
        p.read += page.size();
        p.delivered += report.delivered();
        p.routed += report.routed();
        p.leftInPlace += report.leftInPlace();
        if (report.settled() < page.size()) {
            // the first message never tried stays unprocessed: the next call (readAfterOffset = lastReadOffset)
            // starts exactly there
            p.notStarted = page.size() - report.settled();
            p.lastRead = page.get(report.settled()).offset() - 1;
            return false;
        }
        p.lastRead = page.get(page.size() - 1).offset();
        return !deadline.passed(); // no time left to deliver another page: do not read it
    }
}
