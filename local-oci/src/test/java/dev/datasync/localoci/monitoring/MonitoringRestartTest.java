package dev.datasync.localoci.monitoring;

import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricData;
import com.oracle.bmc.monitoring.model.MetricDataDetails;
import com.oracle.bmc.monitoring.model.PostMetricDataDetails;
import com.oracle.bmc.monitoring.model.SummarizeMetricsDataDetails;
import com.oracle.bmc.monitoring.requests.PostMetricDataRequest;
import com.oracle.bmc.monitoring.requests.SummarizeMetricsDataRequest;
import dev.datasync.localoci.EmulatorRule;
import dev.datasync.localoci.LocalOci;
import org.junit.Rule;
import org.junit.Test;

import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/** An acknowledged PostMetricData is in the store: a restarted emulator on the same data directory still has it. */
public class MonitoringRestartTest {

    @Rule
    public final EmulatorRule emulator = new EmulatorRule();

    @Test
    public void datapointsSurviveARestart() throws Exception {
        String compartment = emulator.oci().resources().compartments().get("DataSyncCompartment");
        try (MonitoringClient before = client(emulator.oci())) {
            before.postMetricData(PostMetricDataRequest.builder().postMetricDataDetails(PostMetricDataDetails.builder()
                    .metricData(List.of(MetricDataDetails.builder().namespace("datasync").compartmentId(compartment)
                            .name("redrive.pending").dimensions(Map.of("stream", "DefaultErrorStream"))
                            .datapoints(List.of(Datapoint.builder().timestamp(Date.from(emulator.clock().instant()))
                                    .value(6.0).build()))
                            .build()))
                    .build()).build());
        }
        LocalOci restarted = emulator.restart();
        try (MonitoringClient after = client(restarted)) {
            List<MetricData> data = after.summarizeMetricsData(SummarizeMetricsDataRequest.builder()
                    .compartmentId(compartment)
                    .summarizeMetricsDataDetails(SummarizeMetricsDataDetails.builder().namespace("datasync")
                            .query("redrive.pending[1h].max()").build())
                    .build()).getItems();
            assertEquals(1, data.size());
            assertEquals(6.0, data.get(0).getAggregatedDatapoints().get(0).getValue(), 0.0);
        }
    }

    private static MonitoringClient client(LocalOci oci) {
        return MonitoringClient.builder().endpoint(oci.baseUrl()).configuration(EmulatorRule.noRetries())
                .build(EmulatorRule.provider(oci));
    }
}
