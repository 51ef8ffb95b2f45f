package dev.datasync.localoci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.util.CircuitBreakerUtils;
import dev.datasync.localoci.auth.AdminSecret;
import dev.datasync.localoci.support.AdjustableClock;
import org.junit.rules.ExternalResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.function.Consumer;

/**
 * The one place local-oci's own tests start the emulator: a free loopback port and the project's declaration
 * ({@code func-configs/local/oci-declaration.json}) unless the test adjusts the settings. As a {@code @ClassRule} or
 * {@code @Rule} it runs one emulator in a fresh temporary data directory with an {@link AdjustableClock}; a test that
 * manages the data directory itself (locks, file modes, its own declaration) calls {@link #start(Path, Consumer)}.
 * Other modules use test-support's {@code LocalOciRule}, which cannot serve here: test-support depends on local-oci.
 */
public final class EmulatorRule extends ExternalResource {

    private AdjustableClock clock;
    private Path dataDir;
    private LocalOci oci;

    @Override
    protected void before() throws IOException {
        clock = new AdjustableClock();
        dataDir = Files.createTempDirectory("local-oci-test");
        oci = startOnDataDir();
    }

    @Override
    protected void after() {
        if (oci != null) {
            oci.close();
            oci = null;
        }
        deleteRecursively(dataDir);
    }

    /** Stops the emulator and starts another on the same data directory and clock, as a process restart would. */
    public LocalOci restart() throws IOException {
        oci().close();
        oci = null;
        oci = startOnDataDir();
        return oci;
    }

    private LocalOci startOnDataDir() throws IOException {
        return start(dataDir, b -> b.clock(clock));
    }

    public LocalOci oci() {
        if (oci == null) {
            throw new IllegalStateException("local-oci is not running: use EmulatorRule as a @Rule or @ClassRule");
        }
        return oci;
    }

    public AdjustableClock clock() {
        return clock;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Starts an emulator on {@code dataDir} (created if missing) with the project's declaration. */
    public static LocalOci start(Path dataDir) throws IOException {
        return start(dataDir, b -> { });
    }

    public static LocalOci start(Path dataDir, Consumer<LocalOciConfig.Builder> customise) throws IOException {
        LocalOciConfig.Builder b = LocalOciConfig.builder().dataDir(dataDir).port(0).declaration(projectDeclaration());
        customise.accept(b);
        return LocalOci.start(b.build());
    }

    /** Request signing with the emulator's own API key, as a user's SDK client is set up. */
    public static ConfigFileAuthenticationDetailsProvider provider(LocalOci oci) {
        try {
            return new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request to {@code /_admin/<what>} carrying the emulator's admin secret, as the local stack sends it. */
    public static HttpRequest.Builder admin(LocalOci oci, String what) {
        return admin(oci.baseUrl(), oci.adminSecret(), what);
    }

    public static HttpRequest.Builder admin(String baseUrl, String secret, String what) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/_admin/" + what)).header(AdminSecret.HEADER, secret);
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

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
