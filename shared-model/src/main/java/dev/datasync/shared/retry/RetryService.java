package dev.datasync.shared.retry;

import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.delivery.Source;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.routing.RouteSelector;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays part of an error stream: read ({@link PartitionReader}), deliver and route through the same
 * {@link BatchPipeline} as ReadDataStream, with the request's errormapping first ({@link RetryRouting}). Failures
 * whose route is the retried stream itself stay where they are (see {@link RetryResponse}).
 */
public final class RetryService {

    private final PartitionReader reader;
    private final BatchPipeline pipeline;
    private final RouteSelector applicationRoutes;
    private final JsonLog log;

    public RetryService(PartitionReader reader, BatchPipeline pipeline, RouteSelector applicationRoutes, JsonLog log) {
        this.reader = reader;
        this.pipeline = pipeline;
        this.applicationRoutes = applicationRoutes;
        this.log = log;
    }

    public RetryResponse retry(RetryRequest request, Deadline deadline) {
        PartitionReader.Read read = reader.read(request.streamOCIDToRetry(), request.readPartition(),
                request.readAfterOffset(), request.noOfMessagesToProcess());
        List<InboundMessage> batch = new ArrayList<>(read.messages().size());
        for (Message m : read.messages()) {
            String key = m.getKey() == null ? null : new String(m.getKey(), StandardCharsets.UTF_8);
            batch.add(InboundMessage.decoded(key, m.getValue() == null ? new byte[0] : m.getValue(),
                    new Source(request.streamOCIDToRetry(), request.readPartition(), m.getOffset())));
        }
        BatchReport report = pipeline.processUntilTimeRunsOut(batch, deadline,
                new RetryRouting(request.errormapping(), applicationRoutes), request.streamOCIDToRetry());
        boolean timeRanOut = report.settled() < batch.size();
        long lastRead;
        if (timeRanOut) {
            // the first message never tried stays unprocessed: the next call (readAfterOffset = lastReadOffset)
            // starts exactly there
            lastRead = read.messages().get(report.settled()).getOffset() - 1;
        } else {
            lastRead = read.messages().isEmpty() ? request.readAfterOffset()
                    : read.messages().get(read.messages().size() - 1).getOffset();
        }
        boolean end = read.reachedTip() && !timeRanOut;
        RetryResponse response = new RetryResponse(lastRead, report.delivered(), report.failed(), end,
                report.routed(), report.leftInPlace(), read.offsetTrimmed());
        log.info("retry.done").stream(request.streamOCIDToRetry()).partition(request.readPartition())
                .offset(lastRead).count("read", batch.size()).count("delivered", report.delivered())
                .count("failed", report.failed()).count("leftInPlace", report.leftInPlace())
                .count("notStarted", batch.size() - report.settled())
                .outcome(end ? "endOfStream" : timeRanOut ? "timeRanOut" : "more").write();
        return response;
    }
}
