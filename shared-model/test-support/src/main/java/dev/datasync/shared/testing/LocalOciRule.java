package dev.datasync.shared.testing;

import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import org.junit.rules.ExternalResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts local-oci with the project's declaration ({@code func-configs/local/oci-declaration.json}) in a fresh
 * temporary data directory on a free loopback port, and stops it afterwards. Use it as a {@code @ClassRule} (one
 * emulator per test class) or a {@code @Rule}:
 * <pre>{@code
 * @ClassRule public static final LocalOciRule OCI = new LocalOciRule();
 * ... OCI.oci().baseUrl(), OCI.functionConfig(), OCI.authProvider()
 * }</pre>
 * Tests that declare local-oci as a test dependency may use it (test-support itself holds it optional).
 */
public final class LocalOciRule extends ExternalResource {

    private final Consumer<LocalOciConfig.Builder> customise;
    private Path dataDir;
    private LocalOci oci;

    public LocalOciRule() {
        this(b -> { });
    }

    /** @param customise adjusts the emulator's settings (clock, faults, declaration) before it starts */
    public LocalOciRule(Consumer<LocalOciConfig.Builder> customise) {
        this.customise = customise;
    }

    /** With the emulator's clock, for example local-oci's {@code AdjustableClock} to pass retention or expiry. */
    public static LocalOciRule withClock(Clock clock) {
        return new LocalOciRule(b -> b.clock(clock));
    }

    @Override
    protected void before() {
        try {
            dataDir = Files.createTempDirectory("local-oci-test");
            LocalOciConfig.Builder b = LocalOciConfig.builder().dataDir(dataDir).port(0)
                    .declaration(projectDeclaration());
            customise.accept(b);
            oci = LocalOci.start(b.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void after() {
        if (oci != null) {
            oci.close();
            oci = null;
        }
        TempDirs.deleteQuietly(dataDir);
    }

    public LocalOci oci() {
        if (oci == null) {
            throw new IllegalStateException("local-oci is not running: use LocalOciRule as a @Rule or @ClassRule");
        }
        return oci;
    }

    public String baseUrl() {
        return oci().baseUrl();
    }

    /** Request signing with the emulator's own API key, as an OCI SDK client needs it. */
    public ConfigFileAuthenticationDetailsProvider authProvider() {
        try {
            return new ConfigFileAuthenticationDetailsProvider(oci().configFile().toString(), oci().profile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application configuration a function gets against this emulator ({@link TestConfigs#forLocalOci}). */
    public Map<String, String> functionConfig() {
        return TestConfigs.forLocalOci(oci());
    }

    /** The project's declaration of streams, vault, key, buckets and topic. */
    public static Path projectDeclaration() {
        return RepoFiles.root().resolve("func-configs/local/oci-declaration.json");
    }
}
