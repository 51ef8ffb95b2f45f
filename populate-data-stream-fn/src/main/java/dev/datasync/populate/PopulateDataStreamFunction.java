package dev.datasync.populate;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.RuntimeContext;
import com.fnproject.fn.api.httpgateway.HTTPGatewayContext;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.contract.IdempotencyHeaders;
import dev.datasync.shared.contract.TraceParent;
import dev.datasync.shared.fn.FnHttpGateway;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.fn.SyncStack;
import dev.datasync.shared.log.JsonLog;

/**
 * Fn entry point for POST /stream/sync ({@code dev.datasync.populate.PopulateDataStreamFunction::handleRequest}),
 * the FDK adapter of {@link SyncHandler}: the handler is built once per container from {@link SyncStack}; each
 * request's method, Content-Type, Authorization, Idempotency-Key and traceparent headers, the source id the gateway verified
 * ({@code X-DataSync-Source-Id}) and the body go to it, and its answer goes back through the gateway.
 */
public class PopulateDataStreamFunction {

    private static final JsonLog LOG = JsonLog.stderr().component("populate-data-stream-fn");

    private SyncHandler handler;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        DataSyncConfig config = FunctionConfig.load(ctx, LOG);
        JsonLog log = LOG.atLevel(config.logLevel());
        handler = new SyncHandler(config, SyncStack.create(config, log), log);
    }

    public byte[] handleRequest(HTTPGatewayContext gateway, byte[] body) {
        return FnHttpGateway.write(gateway, handler.handle(new SyncCall(gateway.getMethod(),
                FnHttpGateway.clientHeader(gateway, "Content-Type"),
                FnHttpGateway.clientHeader(gateway, "Authorization"), FnHttpGateway.sourceId(gateway), body,
                gateway.getHeaders().getAllValues(IdempotencyHeaders.KEY),
                FnHttpGateway.clientHeader(gateway, TraceParent.HEADER))));
    }
}
