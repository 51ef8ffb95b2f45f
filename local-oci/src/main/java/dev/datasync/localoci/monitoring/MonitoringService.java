package dev.datasync.localoci.monitoring;

import dev.datasync.localoci.OciService;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.Router;

/**
 * OCI Monitoring (API 20180401): PostMetricData with OCI's validation rules, datapoints kept in the store, and
 * SummarizeMetricsData for simple MQL queries. No declaration: a metric namespace exists once something is posted.
 */
public final class MonitoringService implements OciService {

    @Override
    public void start(ServiceContext ctx, Router router) {
        new MonitoringApi(ctx, new MetricRepository(ctx.store())).register(router);
    }
}
