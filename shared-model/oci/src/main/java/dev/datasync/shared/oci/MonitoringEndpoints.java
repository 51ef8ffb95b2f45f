package dev.datasync.shared.oci;

import java.net.URI;

/**
 * PostMetricData is served by Monitoring's ingestion host: "replace the string telemetry with telemetry-ingestion in
 * the endpoint" (the SDK's Monitoring javadoc). The Java SDK builds a MonitoringClient for the {@code telemetry} host
 * and sends PostMetricData there unchanged, so the client used to post is moved to the ingestion host.
 */
final class MonitoringEndpoints {

    private static final String QUERY_HOST_LABEL = "telemetry.";
    private static final String INGESTION_HOST_LABEL = "telemetry-ingestion.";

    private MonitoringEndpoints() {
    }

    /** {@code https://telemetry.<region>.<domain>} → {@code https://telemetry-ingestion.<region>.<domain>}. */
    static String ingestion(String endpoint) {
        URI uri = URI.create(endpoint);
        String host = uri.getHost();
        if (host == null || !host.startsWith(QUERY_HOST_LABEL)) {
            return endpoint; // already the ingestion host, or a host of the caller's choosing
        }
        return endpoint.replaceFirst("//" + java.util.regex.Pattern.quote(QUERY_HOST_LABEL),
                "//" + INGESTION_HOST_LABEL);
    }
}
