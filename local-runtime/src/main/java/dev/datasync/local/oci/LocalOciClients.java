package dev.datasync.local.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.circuitbreaker.CircuitBreakerConfiguration;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.ons.NotificationDataPlaneClient;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.util.CircuitBreakerUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The SDK clients the local platform pieces (connectors, CLI, console) use against local-oci: built once, signed with the
 * API key local-oci wrote into its config file, exactly as a user's tool would be. For the stack's connectors
 * ({@link #LocalOciClients(Path, String, String)}) SDK retries and circuit breakers are off because the connectors
 * own their retry loop (a redelivered batch with backoff), and an SDK retry storm of ~2 minutes per call would hide
 * that behaviour. The CLI's clients ({@link #forCommands}) retry 429 and 5xx as any OCI tool does: with the SDK's
 * own default retry configuration (exponential backoff with jitter, at most 8 attempts).
 */
public final class LocalOciClients implements AutoCloseable {

    private final StreamClient stream;
    private final StreamAdminClient streamAdmin;
    private final ObjectStorageClient objectStorage;
    private final NotificationDataPlaneClient notifications;
    private final MonitoringClient monitoring;

    public LocalOciClients(Path configFile, String profile, String baseUrl) {
        this(configFile, profile, baseUrl, RetryConfiguration.NO_RETRY_CONFIGURATION);
    }

    /** Clients for a command a person runs: OCI's throttling (429) and 5xx answers are retried as the SDK does. */
    public static LocalOciClients forCommands(Path configFile, String profile, String baseUrl) {
        return new LocalOciClients(configFile, profile, baseUrl, RetryConfiguration.SDK_DEFAULT_RETRY_CONFIGURATION);
    }

    private LocalOciClients(Path configFile, String profile, String baseUrl, RetryConfiguration retries) {
        ConfigFileAuthenticationDetailsProvider auth;
        try {
            auth = new ConfigFileAuthenticationDetailsProvider(configFile.toString(), profile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OCI config file " + configFile, e);
        }
        CircuitBreakerConfiguration noBreaker = CircuitBreakerUtils.getNoCircuitBreakerConfiguration();
        ClientConfiguration cc = ClientConfiguration.builder()
                .retryConfiguration(retries)
                .circuitBreakerConfiguration(noBreaker)
                .connectionTimeoutMillis(5_000)
                .readTimeoutMillis(30_000)
                .build();
        this.stream = StreamClient.builder().endpoint(baseUrl).configuration(cc).build(auth);
        this.streamAdmin = StreamAdminClient.builder().endpoint(baseUrl).configuration(cc).build(auth);
        this.objectStorage = ObjectStorageClient.builder().endpoint(baseUrl).configuration(cc).build(auth);
        this.notifications = NotificationDataPlaneClient.builder().endpoint(baseUrl).configuration(cc).build(auth);
        this.monitoring = MonitoringClient.builder().endpoint(baseUrl).configuration(cc).build(auth);
    }

    public StreamClient stream() {
        return stream;
    }

    public StreamAdminClient streamAdmin() {
        return streamAdmin;
    }

    public ObjectStorageClient objectStorage() {
        return objectStorage;
    }

    public NotificationDataPlaneClient notifications() {
        return notifications;
    }

    /** Monitoring's queries (SummarizeMetricsData): what the console's charts read. */
    public MonitoringClient monitoring() {
        return monitoring;
    }

    @Override
    public void close() {
        monitoring.close();
        stream.close();
        streamAdmin.close();
        objectStorage.close();
        notifications.close();
    }
}
