package dev.datasync.localoci;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.store.DataDirLock;
import dev.datasync.localoci.support.JsonLog;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Process form: {@code LocalOciMain --data-dir D [--port P] [--declaration F] [--region R] [--fsync]}.
 * Prints one JSON line {@code {"event":"ready","baseUrl":...,"configFile":...}} on stdout once serving; logs go
 * to stderr. Stops on SIGTERM/SIGINT.
 */
public final class LocalOciMain {
    private LocalOciMain() {}

    public static void main(String[] args) throws Exception {
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
            JsonLog.error("start-failed", "message", e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            oci.close();
            stopped.countDown();
        }, "local-oci-shutdown"));
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("event", "ready");
        ready.put("baseUrl", oci.baseUrl());
        ready.put("configFile", oci.configFile().toString());
        ready.put("profile", oci.profile());
        ready.put("resourcesFile", oci.dataDir().resolve("resources.json").toString());
        System.out.println(new ObjectMapper().writeValueAsString(ready));
        System.out.flush();
        stopped.await();
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            usage(name + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("{\"level\":\"error\",\"event\":\"usage\",\"message\":\"" + problem
                + "; usage: LocalOciMain --data-dir D [--port P] [--declaration F] [--region R] [--threads N] [--fsync]\"}");
        System.exit(2);
    }
}
