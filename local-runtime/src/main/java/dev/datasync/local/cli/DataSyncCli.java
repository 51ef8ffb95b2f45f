package dev.datasync.local.cli;

import dev.datasync.local.log.RuntimeLog;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Entry point of {@code ./datasync}: {@code up}, {@code demo}, {@code streams}, {@code messages}, {@code retry}. */
public final class DataSyncCli {

    private static final String USAGE = """
            usage: ./datasync <command>
              up                                   run the whole pipeline locally until Ctrl-C
              demo                                 self-contained tour: every outcome, heal, retry, tally
              streams [--json]                     every stream: name, OCID, partitions, retained messages
              messages STREAM [--partition P] [--from OFFSET] [--limit N] [--json]
                                                   decoded messages of a stream (name or OCID)
              retry STREAM [--partition P] [--from OFFSET] [--batch N]
                                                   replay an error stream through /stream/retry until its end
            environment: DATASYNC_PORT (8080), DATASYNC_OCI_PORT (0 = any), DATASYNC_DATA_DIR (.datasync),
                         DATASYNC_ADMIN_TOKEN (generated into the data dir), DATASYNC_TARGET_ALLOWLIST
                         (127.0.0.1,::1,localhost)""";

    private DataSyncCli() {
    }

    public static void main(String[] argv) {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int status;
        try {
            status = run(Arrays.asList(argv), System.getenv(), System.out);
        } catch (CliException e) {
            System.err.println("datasync: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("datasync: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static int run(List<String> argv, Map<String, String> env, PrintStream out) throws Exception {
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help")) {
            out.println(USAGE);
            return argv.isEmpty() ? 2 : 0;
        }
        Path dataDir = Path.of(env.getOrDefault("DATASYNC_DATA_DIR", ".datasync")).toAbsolutePath();
        List<String> rest = argv.subList(1, argv.size());
        switch (argv.get(0)) {
            case "up":
                return UpCommand.run(env, out);
            case "demo":
                return DemoCommand.run(env, out);
            case "streams":
                return quietly(dataDir, () -> StreamsCommand.run(rest, dataDir, out));
            case "messages":
                return quietly(dataDir, () -> MessagesCommand.run(rest, dataDir, out));
            case "retry":
                return quietly(dataDir, () -> RetryCommand.run(rest, dataDir, env, out));
            default:
                throw new CliException("unknown command " + argv.get(0) + "\n" + USAGE);
        }
    }

    private interface Command {
        int run() throws Exception;
    }

    /**
     * Inspection commands print only their answer: the log lines of the local-oci they may open (and the SDK's
     * stderr chatter) go to {@code <data dir>/cli.log}.
     */
    private static int quietly(Path dataDir, Command command) throws Exception {
        java.nio.file.Files.createDirectories(dataDir);
        PrintStream original = System.err;
        try (PrintStream log = new PrintStream(new java.io.FileOutputStream(dataDir.resolve("cli.log").toFile(),
                true), true)) {
            System.setErr(log);
            RuntimeLog.redirect(log);
            return command.run();
        } finally {
            System.setErr(original);
            RuntimeLog.redirect(original);
        }
    }
}
