package dev.datasync.retry;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.RuntimeContext;
import com.fnproject.fn.api.httpgateway.HTTPGatewayContext;
import dev.datasync.shared.delivery.Deadline;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.fn.FunctionBody;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.fn.RetryStack;
import dev.datasync.shared.log.JsonLog;

import java.time.Clock;

/**
 * Fn entry point for POST /stream/retry and the automatic redrive
 * ({@code dev.datasync.retry.RetryFunction::handleRequest}), the FDK
 * adapter of {@link RetryHandler}: the handler is built once per container from {@link RetryStack}; each request's
 * method, body and deadline go to it, and its answer goes back through the gateway.
 */
public class RetryFunction {

    private RetryHandler handler;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        JsonLog startLog = JsonLog.stderr().component("retry-fn");
        DataSyncConfig config = FunctionConfig.load(ctx, startLog);
        JsonLog log = startLog.atLevel(config.logLevel());
        RetryStack stack = RetryStack.create(config, log);
        handler = new RetryHandler(stack.requests(), stack.service(), stack.redrive(),
                stack.delivery().metrics(), log);
    }

    public byte[] handleRequest(HTTPGatewayContext gateway, InputEvent event) {
        return FnHttpGateway.write(gateway, handler.handle(gateway.getMethod(), FunctionBody.bytes(event),
                Deadline.forFunction(event.getDeadline(), Clock.systemUTC())));
    }
}
