package dev.datasync.localoci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.util.CircuitBreakerUtils;
import dev.datasync.localoci.support.AdjustableClock;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * One emulator per test class (started once: keeps the suite fast), in a fresh temp data directory, with the
 * project's declaration applied and an adjustable clock. Clients are built the way a user builds them.
 * Fault rules are cleared before each test.
 */
public abstract class LocalOciTestBase {
    protected static AdjustableClock clock;
    protected static LocalOci oci;
    protected static Path dataDir;
    protected static ConfigFileAuthenticationDetailsProvider provider;

    @BeforeClass
    public static void startLocalOci() throws IOException {
        clock = new AdjustableClock();
        dataDir = Files.createTempDirectory("local-oci-test");
        oci = LocalOci.start(LocalOciConfig.builder().dataDir(dataDir).port(0).clock(clock)
                .declaration(projectDeclaration()).build());
        provider = new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile());
    }

    @AfterClass
    public static void stopLocalOci() {
        if (oci != null) {
            oci.close();
            oci = null;
        }
        deleteRecursively(dataDir);
    }

    @Before
    public void clearFaults() {
        oci.faults().clear();
    }

    /** {@code func-configs/local/oci-declaration.json} of this repository. */
    public static Path projectDeclaration() {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("func-configs/local/oci-declaration.json");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("func-configs/local/oci-declaration.json not found above " + here);
    }

    /** For tests that provoke errors: no SDK retries (or each call takes ~2 min) and no circuit breaker. */
    public static ClientConfiguration noRetries() {
        return ClientConfiguration.builder()
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                .circuitBreakerConfiguration(CircuitBreakerUtils.getNoCircuitBreakerConfiguration())
                .build();
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
