package dev.datasync.shared.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.Region;
import com.oracle.bmc.auth.BasicAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.auth.ResourcePrincipalAuthenticationDetailsProvider;
import com.oracle.bmc.monitoring.Monitoring;
import com.oracle.bmc.monitoring.MonitoringClient;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.waiter.ExponentialBackoffDelayStrategyWithJitter;
import com.oracle.bmc.waiter.MaxAttemptsTerminationStrategy;
import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.ConfigKeys;
import dev.datasync.shared.config.OciSettings;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The OCI SDK clients of one container, each built at most once (building is the expensive part of a cold start)
 * and only when first asked for. The auth provider and endpoints come from configuration alone: the same code runs
 * on OCI Functions (resource principal, service endpoints) and locally (config file or resource-principal
 * environment, local-oci endpoint). Thread-safe.
 */
public final class OciClients implements AutoCloseable {

    private final OciSettings settings;
    private final ClientConfiguration clientConfiguration;
    private final Lazy<BasicAuthenticationDetailsProvider> auth;
    private final Lazy<StreamClient> stream;
    private final Lazy<VaultsClient> vaults;
    private final Lazy<SecretsClient> secrets;
    private final Lazy<ObjectStorageClient> objectStorage;
    private final Lazy<MonitoringClient> monitoring;

    public OciClients(OciSettings settings, ClientConfiguration clientConfiguration) {
        this.settings = settings;
        this.clientConfiguration = clientConfiguration;
        this.auth = new Lazy<>(this::buildAuth);
        this.stream = new Lazy<>(() -> StreamClient.builder()
                .endpoint(settings.streamMessagesEndpoint().toString())
                .configuration(clientConfiguration)
                .build(auth.get()));
        this.vaults = new Lazy<>(() -> {
            VaultsClient.Builder b = VaultsClient.builder().configuration(clientConfiguration);
            settings.vaultsEndpoint().ifPresentOrElse(e -> b.endpoint(e.toString()),
                    () -> settings.region().ifPresent(r -> b.region(region(r))));
            return b.build(auth.get());
        });
        this.secrets = new Lazy<>(() -> {
            SecretsClient.Builder b = SecretsClient.builder().configuration(clientConfiguration);
            settings.secretsEndpoint().ifPresentOrElse(e -> b.endpoint(e.toString()),
                    () -> settings.region().ifPresent(r -> b.region(region(r))));
            return b.build(auth.get());
        });
        this.objectStorage = new Lazy<>(() -> {
            ObjectStorageClient.Builder b = ObjectStorageClient.builder().configuration(clientConfiguration);
            settings.objectStorageEndpoint().ifPresentOrElse(e -> b.endpoint(e.toString()),
                    () -> settings.region().ifPresent(r -> b.region(region(r))));
            return b.build(auth.get());
        });
        this.monitoring = new Lazy<>(() -> {
            MonitoringClient.Builder b = MonitoringClient.builder().configuration(metricsClientConfiguration());
            settings.monitoringEndpoint().ifPresentOrElse(e -> b.endpoint(e.toString()),
                    () -> settings.region().ifPresent(r -> b.region(region(r))));
            MonitoringClient client = b.build(auth.get());
            if (settings.monitoringEndpoint().isEmpty()) {
                client.setEndpoint(MonitoringEndpoints.ingestion(client.getEndpoint()));
            }
            return client;
        });
    }

    private static Region region(String id) {
        try {
            return Region.fromRegionId(id);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKeys.OCI_REGION, "'" + id + "' is not a region the OCI SDK knows");
        }
    }

    public OciClients(OciSettings settings) {
        this(settings, defaultClientConfiguration());
    }

    /**
     * SDK defaults retry up to 8 times over ~2 minutes, longer than a function's whole time-out; bound it to 3
     * attempts with short jittered backoff so a failing call answers 503 while the caller is still waiting.
     * (PutMessages is never retried by the SDK anyway: a retry could duplicate messages.)
     */
    public static ClientConfiguration defaultClientConfiguration() {
        return ClientConfiguration.builder()
                .connectionTimeoutMillis(5_000)
                .readTimeoutMillis(20_000)
                .retryConfiguration(RetryConfiguration.builder()
                        .terminationStrategy(new MaxAttemptsTerminationStrategy(3))
                        .delayStrategy(new ExponentialBackoffDelayStrategyWithJitter(1_000))
                        .build())
                .build();
    }

    /**
     * Metrics are posted once per invocation and are not the messages: short time-outs and no retry, so an
     * unreachable Monitoring costs an invocation a few seconds at most.
     */
    static ClientConfiguration metricsClientConfiguration() {
        return ClientConfiguration.builder()
                .connectionTimeoutMillis(2_000)
                .readTimeoutMillis(5_000)
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .build();
    }

    public Stream stream() {
        return stream.get();
    }

    public Vaults vaults() {
        return vaults.get();
    }

    public Secrets secrets() {
        return secrets.get();
    }

    public ObjectStorage objectStorage() {
        return objectStorage.get();
    }

    /** Monitoring on its ingestion host ({@code monitoring_endpoint}, or {@code telemetry-ingestion.<region>}). */
    public Monitoring monitoring() {
        return monitoring.get();
    }

    private BasicAuthenticationDetailsProvider buildAuth() {
        return switch (settings.auth()) {
            case RESOURCE_PRINCIPAL -> ResourcePrincipalAuthenticationDetailsProvider.builder().build();
            case CONFIG_FILE -> {
                try {
                    yield new ConfigFileAuthenticationDetailsProvider(settings.configFile().toString(),
                            settings.configProfile());
                } catch (IOException | IllegalArgumentException e) {
                    throw new ConfigException(ConfigKeys.OCI_CONFIG_FILE, "cannot read OCI config file "
                            + settings.configFile() + " profile " + settings.configProfile() + ": "
                            + e.getClass().getSimpleName());
                }
            }
        };
    }

    @Override
    public void close() {
        stream.ifBuilt(StreamClient::close);
        vaults.ifBuilt(VaultsClient::close);
        secrets.ifBuilt(SecretsClient::close);
        objectStorage.ifBuilt(ObjectStorageClient::close);
        monitoring.ifBuilt(MonitoringClient::close);
    }

    /** Build-once holder; a failed build is retried on the next call (e.g. config file fixed). */
    private static final class Lazy<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }

        void ifBuilt(java.util.function.Consumer<T> action) {
            T v = value;
            if (v != null) {
                action.accept(v);
            }
        }
    }
}
