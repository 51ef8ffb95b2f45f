package dev.datasync.read;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.DeliveryStack;
import dev.datasync.shared.fn.FunctionBody;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.log.JsonLog;

import java.time.Clock;

/**
 * Fn entry point for the batches Service Connector Hub hands over from DataSyncStream, the FDK adapter of
 * {@link ReadDataStreamHandler}: the handler is built once per container from {@link DeliveryStack}; each
 * invocation's body and deadline go to it, and its summary is the answer.
 */
public class ReadDataStreamFunction {

    private ReadDataStreamHandler handler;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        JsonLog startLog = JsonLog.stderr().component("read-data-stream-fn");
        // validated once per container; a bad key fails every invocation with a message naming it
        DataSyncConfig config = FunctionConfig.load(ctx, startLog);
        JsonLog log = startLog.atLevel(config.logLevel());
        DeliveryStack stack = DeliveryStack.create(config, log);
        handler = new ReadDataStreamHandler(stack.pipeline(), stack.defaultRoutes(), stack.redrivePending(), log);
    }

    public String handleRequest(InputEvent event) {
        return handler.handle(FunctionBody.bytes(event), Deadline.forFunction(event.getDeadline(), Clock.systemUTC()));
    }
}
