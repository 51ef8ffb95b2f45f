package dev.datasync.local.fnhost;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What OCI Functions knows about one deployed function: its name, the FDK entry point (func.yaml {@code cmd}),
 * the configuration {@code fn config} gives it (application config merged with function config), how long a call
 * may run, and how many hot containers we keep for it.
 */
public record FunctionSpec(
        String appName,
        String appId,
        String name,
        String fnId,
        String entryPoint,
        Map<String, String> config,
        Duration timeout,
        int poolSize,
        int memoryMb) {

    public FunctionSpec {
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fnId, "fnId");
        Objects.requireNonNull(entryPoint, "entryPoint");
        if (!entryPoint.contains("::")) {
            throw new IllegalArgumentException("entry point must be pkg.Class::method, got " + entryPoint);
        }
        config = Map.copyOf(config);
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
    }
}
