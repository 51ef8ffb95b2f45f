package dev.datasync.ingest;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.RuntimeContext;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.FunctionBody;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.fn.IngestStack;
import dev.datasync.shared.log.JsonLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fn entry point of bulk ingest ({@code dev.datasync.ingest.BulkIngestFunction::handleRequest}), invoked by the OCI
 * Events rule on object uploads to the ingest bucket; the FDK adapter of {@link IngestHandler}: the handler is built
 * once per container from {@link IngestStack}; each event's body and the invocation's deadline go to it, and its
 * answer (what it did, as JSON) is the response.
 */
public class BulkIngestFunction {

    private static final JsonLog LOG = JsonLog.stderr().component("bulk-ingest-fn");

    private IngestHandler handler;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        DataSyncConfig config = FunctionConfig.load(ctx, LOG);
        JsonLog log = LOG.atLevel(config.logLevel());
        handler = new IngestHandler(config, IngestStack.create(config, log), log);
    }

    public byte[] handleRequest(InputEvent event) {
        Instant deadline = event.getDeadline() != null ? event.getDeadline()
                : Clock.systemUTC().instant().plus(Duration.ofSeconds(30));
        return handler.handle(FunctionBody.bytes(event), deadline);
    }
}
