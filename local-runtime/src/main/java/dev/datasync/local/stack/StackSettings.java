package dev.datasync.local.stack;

import dev.datasync.local.identity.SourceCredentials;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything the local stack can be told, read from the environment ({@code DATASYNC_*}). Values mirror the
 * Terraform variables where there is one (read batch size/time, archive rollover) with local defaults chosen for
 * a responsive demo. {@code redrive} ({@code DATASYNC_REDRIVE}, default true): whether the stack runs the automatic
 * redrive on its timer ({@code DATASYNC_REDRIVE_SCHEDULE} and {@code DATASYNC_REDRIVE_MAX_AGE} go into the
 * functions' configuration instead, see func-configs/local/app-config.json).
 */
public record StackSettings(
        Path dataDir,
        int gatewayPort,
        int ociPort,
        String adminToken,
        int functionPoolSize,
        int readBatchSizeInNum,
        Duration readBatchTime,
        Duration notificationInterval,
        long archiveRolloverBytes,
        Duration archiveRolloverTime,
        long maxBodyBytes,
        boolean warmUp,
        boolean redrive,
        Duration sourceTokenLifetime,
        Function<String, String> env) {

    /** OCI Functions' invoke payload limit (6 MB); the gateway refuses larger bodies before calling a function. */
    public static final long DEFAULT_MAX_BODY_BYTES = 6L * 1024 * 1024;

    public static StackSettings fromEnvironment(Map<String, String> envMap) {
        Function<String, String> env = envMap::get;
        return new StackSettings(
                dataDir(envMap),
                port(env, "DATASYNC_PORT", 8080),
                port(env, "DATASYNC_OCI_PORT", 0),
                blankToNull(env.apply("DATASYNC_ADMIN_TOKEN")),
                integer(env, "DATASYNC_FN_POOL", 2),
                integer(env, "DATASYNC_READ_BATCH_SIZE_IN_NUM", 100),
                Duration.ofMillis((long) (decimal(env, "DATASYNC_READ_BATCH_TIME_IN_SEC", 1) * 1000)),
                Duration.ofSeconds(integer(env, "DATASYNC_NOTIFICATION_INTERVAL_SEC", 5)),
                integer(env, "DATASYNC_ARCHIVE_ROLLOVER_SIZE_IN_MBS", 10) * 1024L * 1024L,
                Duration.ofMillis(integer(env, "DATASYNC_ARCHIVE_ROLLOVER_TIME_IN_MS", 10_000)),
                longInteger(env, "DATASYNC_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
                !"false".equalsIgnoreCase(get(env, "DATASYNC_WARM_UP", "true")),
                !"false".equalsIgnoreCase(get(env, "DATASYNC_REDRIVE", "true")),
                Duration.ofDays(positive(env, "DATASYNC_SOURCE_TOKEN_DAYS",
                        (int) SourceCredentials.DEFAULT_LIFETIME.toDays())),
                env);
    }

    /**
     * {@code DATASYNC_DATA_DIR} (default {@code .datasync}), absolute; every command reads it here. A value that is
     * not a path at all (a NUL byte) is a {@link SettingException}.
     */
    public static Path dataDir(Map<String, String> envMap) {
        String v = get(envMap::get, "DATASYNC_DATA_DIR", ".datasync");
        try {
            return Path.of(v).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new SettingException("DATASYNC_DATA_DIR", v, "not a path (" + e.getReason() + ")");
        }
    }

    public StackSettings withDataDir(Path dir) {
        return new StackSettings(dir, gatewayPort, ociPort, adminToken, functionPoolSize, readBatchSizeInNum,
                readBatchTime, notificationInterval, archiveRolloverBytes, archiveRolloverTime, maxBodyBytes, warmUp,
                redrive, sourceTokenLifetime, env);
    }

    public StackSettings withPorts(int gateway, int oci) {
        return new StackSettings(dataDir, gateway, oci, adminToken, functionPoolSize, readBatchSizeInNum,
                readBatchTime, notificationInterval, archiveRolloverBytes, archiveRolloverTime, maxBodyBytes, warmUp,
                redrive, sourceTokenLifetime, env);
    }

    public StackSettings withAdminToken(String token) {
        return new StackSettings(dataDir, gatewayPort, ociPort, token, functionPoolSize, readBatchSizeInNum,
                readBatchTime, notificationInterval, archiveRolloverBytes, archiveRolloverTime, maxBodyBytes, warmUp,
                redrive, sourceTokenLifetime, env);
    }

    public StackSettings withRedrive(boolean on) {
        return new StackSettings(dataDir, gatewayPort, ociPort, adminToken, functionPoolSize, readBatchSizeInNum,
                readBatchTime, notificationInterval, archiveRolloverBytes, archiveRolloverTime, maxBodyBytes, warmUp,
                on, sourceTokenLifetime, env);
    }

    public StackSettings withEnv(Function<String, String> newEnv) {
        return new StackSettings(dataDir, gatewayPort, ociPort, adminToken, functionPoolSize, readBatchSizeInNum,
                readBatchTime, notificationInterval, archiveRolloverBytes, archiveRolloverTime, maxBodyBytes, warmUp,
                redrive, sourceTokenLifetime, newEnv);
    }

    private static String get(Function<String, String> env, String key, String dflt) {
        String v = env.apply(key);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int positive(Function<String, String> env, String key, int dflt) {
        int v = integer(env, key, dflt);
        if (v < 1) {
            throw new SettingException(key, Integer.toString(v), "must be at least 1");
        }
        return v;
    }

    private static int port(Function<String, String> env, String key, int dflt) {
        String v = get(env, key, Integer.toString(dflt));
        try {
            int port = Integer.parseInt(v);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // the same message as out of range
        }
        throw new SettingException(key, v, "not a port number (0-65535; 0 = any free port)");
    }

    private static int integer(Function<String, String> env, String key, int dflt) {
        String v = get(env, key, Integer.toString(dflt));
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new SettingException(key, v, "not a whole number");
        }
    }

    private static long longInteger(Function<String, String> env, String key, long dflt) {
        String v = get(env, key, Long.toString(dflt));
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new SettingException(key, v, "not a whole number");
        }
    }

    private static double decimal(Function<String, String> env, String key, double dflt) {
        String v = get(env, key, Double.toString(dflt));
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d) && d >= 0) {
                return d;
            }
        } catch (NumberFormatException notANumber) {
            // the same message as a negative one
        }
        throw new SettingException(key, v, "not a number of seconds");
    }
}
