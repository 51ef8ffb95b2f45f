package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.oracle.bmc.model.BmcException;
import dev.datasync.local.stack.SettingException;
import dev.datasync.local.stack.StateFiles;
import dev.datasync.localoci.http.HttpServerLimits;
import dev.datasync.localoci.support.PrivateFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entry point of {@code ./datasync} (picocli): {@code up}, {@code demo}, {@code streams}, {@code messages},
 * {@code retry}, {@code ingest}, {@code sources add|list|revoke|sign|rules}, {@code trace}, {@code status}. Every command answers {@code --help}/{@code -h}
 * without running anything; exit status 0 = done, 1 = the work failed (or, for {@code retry}, messages failed
 * again), 2 = a usage or setup error, printed as one line naming the option or the environment variable.
 */
@Command(name = "datasync", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        sortOptions = false,         description = "The data-sync pipeline on this machine (see local-runtime/README.md).",
        footer = {"",
                "/stream/sync needs a source credential (up writes the default source's",
                "into <data dir>/source-token); /stream/retry the admin token",
                "(<data dir>/admin-token) in X-DataSync-Admin-Token.",
                "Environment (the whole table is in local-runtime/README.md):",
                "  DATASYNC_PORT (8080), DATASYNC_OCI_PORT (0 = any),",
                "  DATASYNC_DATA_DIR (.datasync), DATASYNC_ADMIN_TOKEN (generated into the",
                "  data dir), DATASYNC_TARGET_ALLOWLIST (127.0.0.1,::1,localhost; set but",
                "  empty refuses every target), DATASYNC_SOURCE_TOKEN_DAYS (30).",
                "Exit status: 0 done, 1 the work failed, 2 usage or setup error."})
public final class DataSyncCli implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private DataSyncCli() {
    }

    /** {@code ./datasync} alone: the list of commands, exit 2 (nothing was asked). */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    public static void main(String[] argv) {
        HttpServerLimits.apply(); // before the JVM's first HttpServer
        System.exit(execute(Arrays.asList(argv), System.getenv(), System.out, System.err));
    }

    /** Runs one command; a failure is one short line on {@code err} and a non-zero status (2 = usage/setup). */
    static int execute(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(new CliEnv(env, out), out, err);
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            err.println("datasync: " + ControlChars.escape(describe(e)));
            return exitStatus(e);
        });
        return cl.execute(argv.toArray(String[]::new));
    }

    /** As {@link #execute}, but a failure is thrown (for tests that want the exception itself). */
    static int run(List<String> argv, Map<String, String> env, PrintStream out) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        CommandLine cl = commandLine(new CliEnv(env, out), out, out);
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            failure.set(e);
            return 1;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            failure.set(new CliException(e.getMessage()));
            return 2;
        });
        int status = cl.execute(argv.toArray(String[]::new));
        if (failure.get() != null) {
            throw failure.get();
        }
        return status;
    }

    /** The whole command tree, writing to {@code out}/{@code err}; usage errors are one line and exit 2. */
    static CommandLine commandLine(CliEnv cli, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new DataSyncCli())
                .addSubcommand("up", new UpCommand(cli))
                .addSubcommand("demo", new DemoCommand(cli))
                .addSubcommand("streams", new StreamsCommand(cli))
                .addSubcommand("messages", new MessagesCommand(cli))
                .addSubcommand("retry", new RetryCommand(cli))
                .addSubcommand("ingest", new IngestCommand(cli))
                .addSubcommand("sources", new CommandLine(new SourcesCommand())
                        .addSubcommand("add", new SourcesCommand.Add(cli))
                        .addSubcommand("list", new SourcesCommand.ListSources(cli))
                        .addSubcommand("revoke", new SourcesCommand.Revoke(cli))
                        .addSubcommand("sign", new SourcesCommand.Sign(cli))
                        .addSubcommand("rules", new SourcesCommand.Rules(cli)))
                .addSubcommand("trace", new TraceCommand(cli))
                .addSubcommand("status", new StatusCommand(cli));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine where = e.getCommandLine();
            err.println(where.getCommandSpec().qualifiedName() + ": " + ControlChars.escape(e.getMessage())
                    + " (see " + where.getCommandSpec().qualifiedName().replaceFirst("^datasync", "./datasync")
                    + " --help)");
            return 2;
        });
        return cl;
    }

    /** 2 for what the user has to fix before anything can run; 1 for work that failed. */
    static int exitStatus(Throwable e) {
        if (e instanceof CliException || e instanceof SettingException || e instanceof StateFiles.Untrusted
                || e instanceof PrivateFiles.NotPrivate) {
            return 2;
        }
        if (e instanceof UncheckedIOException u && u.getCause() instanceof PrivateFiles.NotPrivate) {
            return 2;
        }
        return 1;
    }

    /**
     * One line for a failure. An OCI error is shown as status, service code and the service's own message —
     * not the SDK's {@code getMessage()}, which adds request ids, client versions and troubleshooting links.
     */
    static String describe(Throwable e) {
        if (e instanceof CliException || e instanceof SettingException || e instanceof StateFiles.Untrusted) {
            return e.getMessage();
        }
        if (e instanceof UncheckedIOException u && u.getCause() instanceof PrivateFiles.NotPrivate) {
            return u.getCause().getMessage();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BmcException b) {
                String message = b.getUnmodifiedMessage() == null ? "" : b.getUnmodifiedMessage().trim();
                if (b.isClientSide()) {
                    return "could not reach local-oci: " + message;
                }
                return b.getStatusCode() + " " + b.getServiceCode() + (message.isEmpty() ? "" : ": " + message);
            }
        }
        if (e instanceof PrivateFiles.NotPrivate) {
            return e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** {@code --version}: the project version Maven wrote into version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            Properties p = new Properties();
            try (InputStream in = DataSyncCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"datasync " + p.getProperty("version", "(unknown version)")};
        }
    }
}
