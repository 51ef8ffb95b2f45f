package dev.datasync.populate;

import com.fnproject.fn.api.FnConfiguration;
import com.fnproject.fn.api.RuntimeContext;
import com.fnproject.fn.api.httpgateway.HTTPGatewayContext;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.fn.FunctionConfig;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.OciClients;
import dev.datasync.shared.oci.SecretSweeper;
import dev.datasync.shared.oci.StreamWriter;
import dev.datasync.shared.oci.TokenVault;

import java.util.Map;

/**
 * Fn entry point for POST /stream/sync ({@code dev.datasync.populate.PopulateDataStreamFunction::handleRequest}).
 * A thin adapter: configuration and clients are built once per container in {@link #configure}, each request is
 * handed to {@link SyncHandler}, and its answer is mapped onto the gateway's status and headers.
 */
public class PopulateDataStreamFunction {

    private static final JsonLog LOG = JsonLog.stderr().component("populate-data-stream-fn");

    private SyncHandler handler;

    @FnConfiguration
    public void configure(RuntimeContext ctx) {
        DataSyncConfig config = FunctionConfig.load(ctx, LOG);
        // clients are built lazily on first use, once per container; no branch on "local": endpoints and auth
        // provider come from the configuration
        OciClients clients = new OciClients(config.oci());
        handler = new SyncHandler(config, new TargetGuard(config.targets()), new StreamWriter(clients::stream),
                new TokenVault(clients::vaults, clients::secrets, config.vault()),
                SecretSweeper.inBackground(clients::vaults, config.vault(), LOG), LOG);
    }

    public byte[] handleRequest(HTTPGatewayContext gateway, byte[] body) {
        SyncResponse response = handler.handle(gateway.getMethod(), gateway.getHeaders().get("Authorization"), body);
        gateway.setStatusCode(response.status());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            gateway.setResponseHeader(h.getKey(), h.getValue());
        }
        return response.body();
    }
}
