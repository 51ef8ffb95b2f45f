package dev.datasync.read;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.FunctionBody;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.routing.BatchReport;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.routing.InboundMessage;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Service Connector Hub hands this function batches of DataSyncStream messages. Each message is delivered to its
 * target (token from Vault, Idempotency-Key = syncId) or routed to the error stream its outcome maps to. The
 * invocation succeeds only when every message of the batch is delivered or routed; otherwise it throws and the
 * connector delivers the batch again.
 */
public class ReadDataStreamFunction {

    private DeliveryStack stack;
    private JsonLog log;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        log = JsonLog.stderr().component("read-data-stream-fn");
        // validated once per container; a bad key fails every invocation with a message naming it
        stack = DeliveryStack.create(FunctionConfig.load(ctx, log), log);
    }

    public String handleRequest(InputEvent event) {
        long start = System.nanoTime();
        byte[] body = FunctionBody.bytes(event);
        List<InboundMessage> batch = SchBatchReader.read(body);
        Deadline deadline = Deadline.forFunction(event.getDeadline(), Clock.systemUTC());
        BatchReport report = stack.pipeline().process(batch, deadline, stack.defaultRoutes(), null);
        log.info("batch.done").count("messages", batch.size()).count("delivered", report.delivered())
                .count("routed", report.routed()).durationMs((System.nanoTime() - start) / 1_000_000).write();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("messages", batch.size());
        summary.put("delivered", report.delivered());
        summary.put("routed", report.routed());
        return Json.toText(summary);
    }
}
