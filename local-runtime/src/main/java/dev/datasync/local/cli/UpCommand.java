package dev.datasync.local.cli;

import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.local.log.LogFanOut;
import dev.datasync.local.log.TerminalLines;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.local.stack.StackLock;
import dev.datasync.local.stack.StackSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./datasync up}: the stack in the foreground until Ctrl-C (SIGINT/SIGTERM → clean shutdown). Refuses to
 * start (exit 2) when a live stack already uses the data dir: stack.json names one whose process is alive and is
 * really the writer (start time checked, so a pid reused after kill -9 does not count), or the data dir's lock is
 * held (a stack still starting).
 */
@Command(name = "up", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = {"Run the whole pipeline locally (local-oci, functions, gateway, Events rule, connectors) in "
                + "the foreground until Ctrl-C.", "Settings come from the environment (DATASYNC_*, see ./datasync "
                + "--help); exit 2 when one is unusable or the data dir is in use by another stack."})
final class UpCommand implements Callable<Integer> {

    /** How often the terminal gets the line of what happened to messages (when anything did). */
    static final long TERMINAL_INTERVAL_MS = 2_000;

    @Option(names = "--verbose", description = "every JSON log line on the terminal too, not only the short lines")
    boolean verbose;

    private final CliEnv cli;

    UpCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        StackSettings settings = StackSettings.fromEnvironment(cli.env());
        Path dataDir = settings.dataDir().toAbsolutePath();
        Optional<StackInfo> live = StackInfo.readLive(dataDir);
        if (live.isPresent()) {
            throw new CliException("a datasync stack is already running on data dir " + dataDir + " (pid "
                    + live.get().pid() + ", gateway " + live.get().gateway() + ") — stop it first (Ctrl-C), or "
                    + "give this one its own DATASYNC_DATA_DIR");
        }
        // the terminal: the JSON lines as they are (--verbose), else one short line per notable event; every line
        // goes to <data dir>/logs/datasync.log either way
        Map<String, String> streamNames = new ConcurrentHashMap<>();
        TerminalLines shortLines = verbose ? null
                : new TerminalLines(out, id -> streamNames.getOrDefault(id, id), TERMINAL_INTERVAL_MS);
        LogFanOut.terminal(shortLines);
        PipelineStack stack;
        try {
            stack = PipelineStack.start(settings, RepoLayout.locate());
        } catch (StackLock.InUse e) {
            throw new CliException(e.getMessage()); // one that is still starting, or started in between
        }
        stack.oci().resources().streams().forEach((name, id) -> streamNames.put(id, name));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            if (shortLines != null) {
                shortLines.close();
            }
            stopped.countDown();
        }, "datasync-shutdown"));
        out.printf("datasync up: gateway %s | oci %s | data %s | admin token in %s | %s | log %s (Ctrl-C to "
                        + "stop)%n", stack.gatewayUrl(), stack.ociUrl(), stack.dataDir(),
                settings.adminToken() != null ? "$DATASYNC_ADMIN_TOKEN" : stack.dataDir().resolve("admin-token"),
                stack.sourceToken().isPresent()
                        ? "source local's credential in " + SourceTokenFile.of(stack.dataDir())
                        : "source local is revoked (./datasync sources add NAME for a credential)",
                stack.logFile());
        out.flush();
        stopped.await();
        return 0;
    }
}
