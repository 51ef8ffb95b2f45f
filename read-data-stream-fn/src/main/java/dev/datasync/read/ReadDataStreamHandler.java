package dev.datasync.read;

import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.redrive.RedrivePending;
import dev.datasync.shared.routing.BatchPipeline;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.routing.InboundMessage;
import dev.datasync.shared.routing.RouteSelector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Service Connector Hub batch of DataSyncStream messages: each message is delivered to its target (token from
 * Vault, Idempotency-Key = syncId) or routed to the error stream its outcome maps to. Answers the connector with
 * {@code {messages, delivered, routed}} once every message is delivered or routed; throws otherwise (the invocation
 * fails and the connector delivers the batch again). The figures of the batch (the pipeline's metrics, and
 * {@code redrive.pending} when it routed messages to a redriven stream, {@link RedrivePending}) are published once,
 * at the end of the invocation, whatever its outcome. No FDK type: {@code ReadDataStreamFunction} adapts it.
 * Thread-safe; one per container.
 */
public final class ReadDataStreamHandler {

    private final BatchPipeline pipeline;
    private final RouteSelector routes;
    private final RedrivePending pending;
    private final JsonLog log;

    public ReadDataStreamHandler(BatchPipeline pipeline, RouteSelector routes, RedrivePending pending, JsonLog log) {
        this.pipeline = pipeline;
        this.routes = routes;
        this.pending = pending;
        this.log = log;
    }

    /** @return the JSON summary the connector gets */
    public String handle(byte[] body, Deadline deadline) {
        long start = System.nanoTime();
        List<InboundMessage> batch = SchBatchReader.read(body);
        BatchReport report;
        try {
            report = pipeline.process(batch, deadline, routes, null);
            pending.routed(report);
        } finally {
            pipeline.metrics().publish();
        }
        log.info("batch.done").count("messages", batch.size()).count("delivered", report.delivered())
                .count("filtered", report.filtered()).count("routed", report.routed())
                .durationMs((System.nanoTime() - start) / 1_000_000).write();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("messages", batch.size());
        summary.put("delivered", report.delivered());
        if (report.filtered() > 0) {
            summary.put("filtered", report.filtered()); // only sources with a filter rule have any
        }
        summary.put("routed", report.routed());
        return Json.toText(summary);
    }
}
