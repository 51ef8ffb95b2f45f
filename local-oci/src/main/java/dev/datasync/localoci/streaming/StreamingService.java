package dev.datasync.localoci.streaming;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.Router;

/** OCI Streaming (API 20180418): control plane and data plane. */
public final class StreamingService implements OciService {
    @Override
    public void start(ServiceContext ctx, Router router) {
    }
}
