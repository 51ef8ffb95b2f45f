package dev.datasync.shared.oci;

import org.junit.Test;

import static org.junit.Assert.assertEquals;

/** PostMetricData's host: the SDK's telemetry host with telemetry-ingestion in its place, nothing else changed. */
public class MonitoringEndpointsTest {

    @Test
    public void theQueryHostBecomesTheIngestionHostInEveryRealm() {
        assertEquals("https://telemetry-ingestion.us-ashburn-1.oraclecloud.com",
                MonitoringEndpoints.ingestion("https://telemetry.us-ashburn-1.oraclecloud.com"));
        assertEquals("https://telemetry-ingestion.eu-frankfurt-1.oraclecloud.eu",
                MonitoringEndpoints.ingestion("https://telemetry.eu-frankfurt-1.oraclecloud.eu"));
        assertEquals("https://telemetry-ingestion.ap-tokyo-1.oci.oraclecloud.com/",
                MonitoringEndpoints.ingestion("https://telemetry.ap-tokyo-1.oci.oraclecloud.com/"));
    }

    @Test
    public void anyOtherHostIsLeftAsItIs() {
        for (String endpoint : new String[]{"https://telemetry-ingestion.us-ashburn-1.oraclecloud.com",
                "http://127.0.0.1:18443", "https://monitoring.proxy.internal"}) {
            assertEquals(endpoint, MonitoringEndpoints.ingestion(endpoint));
        }
    }
}
