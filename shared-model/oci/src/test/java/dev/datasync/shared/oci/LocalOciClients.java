package dev.datasync.shared.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.util.CircuitBreakerUtils;
import dev.datasync.localoci.LocalOci;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.rules.ExternalResource;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

import java.util.Map;
import java.util.function.Consumer;

/**
 * local-oci ({@link LocalOciRule}) and the project's {@link OciClients} against it, built from the configuration a
 * function gets there. The clients neither retry nor break circuits, so the failures a test injects reach the code
 * under test. Use it as a {@code @ClassRule}.
 */
final class LocalOciClients extends ExternalResource {

    private final LocalOciRule emulator;
    private final Consumer<Map<String, String>> configure;
    private DataSyncConfig config;
    private OciClients clients;

    /** @param configure adjusts the function configuration (keys of func-configs) the clients are built from */
    LocalOciClients(LocalOciRule emulator, Consumer<Map<String, String>> configure) {
        this.emulator = emulator;
        this.configure = configure;
    }

    LocalOciClients() {
        this(new LocalOciRule(), config -> { });
    }

    @Override
    public Statement apply(Statement base, Description description) {
        return emulator.apply(super.apply(base, description), description);
    }

    @Override
    protected void before() {
        Map<String, String> m = emulator.functionConfig();
        configure.accept(m);
        config = DataSyncConfig.from(m);
        clients = new OciClients(config.oci(), ClientConfiguration.builder()
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration()).build());
    }

    @Override
    protected void after() {
        if (clients != null) {
            clients.close();
            clients = null;
        }
    }

    LocalOci oci() {
        return emulator.oci();
    }

    DataSyncConfig config() {
        return config;
    }

    OciClients clients() {
        return clients;
    }
}
