package dev.datasync.localoci;

import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.fault.Faults;
import dev.datasync.localoci.store.DataDirLock;
import dev.datasync.localoci.support.JsonLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Process form: {@code LocalOciMain --data-dir D [--port P] [--declaration F] [--region R] [--threads N] [--fsync]
 * [--faults F]}; {@code --faults} loads initial fault rules (the JSON of {@code PUT /_admin/faults}).
 * Prints one JSON line {@code {"ts":...,"level":"INFO","component":"local-oci","event":"ready","baseUrl":...,
 * "configFile":...}} on stdout once serving; logs go to stderr (same shape, {@link JsonLog}). Stops on SIGTERM/SIGINT.
 */
public final class LocalOciMain {
    private LocalOciMain() {}

    public static void main(String[] args) throws Exception {
        dev.datasync.localoci.http.HttpServerLimits.apply();
        LocalOciConfig.Builder config = LocalOciConfig.builder();
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--port" -> config.port(Integer.parseInt(value(args, ++i, arg)));
                case "--declaration" -> config.declaration(Path.of(value(args, ++i, arg)));
                case "--region" -> config.region(value(args, ++i, arg));
                case "--threads" -> config.threads(Integer.parseInt(value(args, ++i, arg)));
                case "--fsync" -> config.durableFsync(true);
                case "--faults" -> config.faults(readFaults(Path.of(value(args, ++i, arg))));
                default -> usage("unknown argument " + arg);
            }
        }
        if (dataDir == null) {
            usage("--data-dir is required");
        }
        LocalOci oci;
        try {
            oci = LocalOci.start(config.dataDir(dataDir).build());
        } catch (DataDirLock.DataDirInUseException e) {
            JsonLog.error("start-failed", JsonLog.REASON, e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            oci.close();
            stopped.countDown();
        }, "local-oci-shutdown"));
        System.out.println(JsonLog.line("INFO", "ready", "baseUrl", oci.baseUrl(),
                "configFile", oci.configFile().toString(), "profile", oci.profile(),
                "resourcesFile", oci.dataDir().resolve("resources.json").toString(),
                "adminSecretFile", oci.adminSecretFile().toString()));
        System.out.flush();
        stopped.await();
    }

    /** The same JSON as {@code PUT /_admin/faults}; a missing or malformed file stops the start. */
    private static Map<String, FaultRule> readFaults(Path file) {
        try {
            return Faults.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            usage("--faults " + file + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            usage("--faults " + file + ": " + e.getMessage());
        }
        return Map.of();
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            usage(name + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        JsonLog.error("usage", JsonLog.REASON, problem
                + "; usage: LocalOciMain --data-dir D [--port P] [--declaration F]"
                + " [--region R] [--threads N] [--fsync] [--faults F]");
        System.exit(2);
    }
}
