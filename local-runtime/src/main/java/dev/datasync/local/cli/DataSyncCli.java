package dev.datasync.local.cli;

import com.oracle.bmc.model.BmcException;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.stack.StateFiles;
import dev.datasync.localoci.http.HttpServerLimits;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./datasync}: {@code up}, {@code demo}, {@code streams}, {@code messages}, {@code retry},
 * {@code ingest}, {@code sources}, {@code trace}, {@code status}.
 */
public final class DataSyncCli {

    private static final String USAGE = """
            usage: ./datasync <command>
              up [--verbose]                       run the whole pipeline locally until Ctrl-C: one short line
                                                   per event on the terminal, every JSON log line in
                                                   <data dir>/logs/datasync.log (--verbose: on the terminal too)
              demo                                 self-contained tour: every outcome, heal, retry, tally
              streams [--json]                     every stream: name, OCID, partitions, retained messages
              messages STREAM [--partition P] [--from OFFSET] [--limit N] [--json]
                                                   decoded messages of a stream (name or OCID), every partition
                                                   unless --partition; --from N starts AT offset N
              retry STREAM [--partition P] [--from OFFSET] [--batch N]
                                                   replay an error stream through /stream/retry until its end,
                                                   every partition unless --partition; --from N starts AT
                                                   offset N (readAfterOffset N-1), default the oldest
              ingest FILE [--source NAME] [--as OBJECT_NAME] [--timeout SECONDS] [--json]
                                                   upload a JSON Lines file of sync requests as source NAME
                                                   (local) to the ingest bucket and wait for its result object
              sources add NAME [--allow TARGETS] [--rate N] [--max-secrets N] [--json]
                                                   register a source application; prints its credential ONCE
                                                   (send it as X-DataSync-Source-Token: Bearer <credential>)
              sources list [--json]                every source and its policy (never a credential)
              sources revoke NAME [--json]         its credential is refused from then on
              sources rules NAME FILE              check a rules file {"filter": "<expr>", "transform": "<expr>"}
                                                   (JSONata) and set it as the source's rules; --clear removes them
              sources rules NAME [FILE] --test MESSAGE [--json]
                                                   what the target would receive for a sync request under the
                                                   rules in force (or FILE, not set), or that it is filtered
              trace SYNCID [--json]                the life of one message: accepted, attempts, held, routed,
                                                   redriven, replayed, where it is now (exit 1: unknown syncId)
              status [--json]                      streams (retained, consumer lag), held keys, dead letters,
                                                   the last hour's counts
            /stream/sync needs a source credential (up writes the default source's into <data dir>/source-token);
            /stream/retry the admin token (<data dir>/admin-token) in X-DataSync-Admin-Token.
            environment: DATASYNC_PORT (8080), DATASYNC_OCI_PORT (0 = any), DATASYNC_DATA_DIR (.datasync),
                         DATASYNC_ADMIN_TOKEN (generated into the data dir), DATASYNC_TARGET_ALLOWLIST
                         (127.0.0.1,::1,localhost; set but empty refuses every target),
                         DATASYNC_SOURCE_TOKEN_DAYS (30: how long a source credential is valid)""";

    private DataSyncCli() {
    }

    public static void main(String[] argv) {
        HttpServerLimits.apply(); // before the JVM's first HttpServer
        System.exit(execute(Arrays.asList(argv), System.getenv(), System.out, System.err));
    }

    /** Runs one command; a failure is one short line on {@code err} and a non-zero status (2 = usage/setup). */
    static int execute(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            return run(argv, env, out);
        } catch (CliException | StateFiles.Untrusted | PrivateFiles.NotPrivate e) {
            err.println("datasync: " + e.getMessage());
            return 2;
        } catch (java.io.UncheckedIOException e) {
            err.println("datasync: " + (e.getCause() instanceof PrivateFiles.NotPrivate ? e.getCause().getMessage()
                    : describe(e)));
            return e.getCause() instanceof PrivateFiles.NotPrivate ? 2 : 1;
        } catch (Exception e) {
            err.println("datasync: " + describe(e));
            return 1;
        }
    }

    /**
     * One line for a failure. An OCI error is shown as status, service code and the service's own message —
     * not the SDK's {@code getMessage()}, which adds request ids, client versions and troubleshooting links.
     */
    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BmcException b) {
                String message = b.getUnmodifiedMessage() == null ? "" : b.getUnmodifiedMessage().trim();
                if (b.isClientSide()) {
                    return "could not reach local-oci: " + message;
                }
                return b.getStatusCode() + " " + b.getServiceCode() + (message.isEmpty() ? "" : ": " + message);
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
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
                return UpCommand.run(rest, env, out);
            case "demo":
                return DemoCommand.run(env, out);
            case "streams":
                return quietly(dataDir, () -> StreamsCommand.run(rest, dataDir, out));
            case "messages":
                return quietly(dataDir, () -> MessagesCommand.run(rest, dataDir, out));
            case "retry":
                return quietly(dataDir, () -> RetryCommand.run(rest, dataDir, env, out));
            case "sources":
                return quietly(dataDir, () -> SourcesCommand.run(rest, dataDir, env, out));
            case "ingest":
                return quietly(dataDir, () -> IngestCommand.run(rest, dataDir, out));
            case "trace":
                return quietly(dataDir, () -> TraceCommand.run(rest, dataDir, out));
            case "status":
                return quietly(dataDir, () -> StatusCommand.run(rest, dataDir, out));
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
        dev.datasync.local.stack.DataDir.create(dataDir);
        PrintStream original = System.err;
        try (PrintStream log = new PrintStream(PrivateFiles.appending(dataDir.resolve("cli.log")), true)) {
            System.setErr(log);
            RuntimeLog.redirect(log);
            return command.run();
        } finally {
            System.setErr(original);
            RuntimeLog.redirect(original);
        }
    }
}
