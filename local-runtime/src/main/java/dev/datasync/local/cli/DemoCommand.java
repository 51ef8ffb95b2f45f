package dev.datasync.local.cli;

import dev.datasync.local.demo.DemoReport;
import dev.datasync.local.demo.DemoScenario;
import dev.datasync.local.demo.FeatureTour;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.log.LogFanOut;
import dev.datasync.local.stack.DataDir;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.local.stack.StackSettings;
import dev.datasync.localoci.support.PrivateFiles;

import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./datasync demo}: a fresh stack in {@code <data dir>/demo} on ephemeral ports (so it never collides with
 * a running {@code up}), a sample target, and the {@link DemoScenario}. Logs go to {@code demo/demo.log}; the
 * terminal shows the story. Exit 0 only when every message ended where it should.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = {"Self-contained tour: a fresh stack in <data dir>/demo on free ports, a sample target, every "
                + "outcome, heal, retry, tally.", "Exit 0 when every message ended where it should."})
final class DemoCommand implements Callable<Integer> {

    private final CliEnv cli;

    DemoCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = cli.out();
        long t0 = System.nanoTime();
        StackSettings base = StackSettings.fromEnvironment(cli.env());
        Path dir = base.dataDir().toAbsolutePath().resolve("demo");
        if (StackInfo.readLive(dir).isPresent()) {
            // another demo is running on this data dir: wiping would pull its store from under it
            throw new CliException("a demo is already running on " + dir + " — wait for it, or use another "
                    + "DATASYNC_DATA_DIR");
        }
        wipe(dir);
        DataDir.create(dir);
        Path log = dir.resolve("demo.log");
        PrintStream logStream = new PrintStream(PrivateFiles.appending(log), true);
        // the log lines go to demo.log instead of the terminal, through the stack's fan-out (which stays
        // System.err, so the stack's own log file gets its functions' lines too)
        LogFanOut.terminal(logStream::println);
        try {
            out.println("datasync demo — logs in " + log);
            int refusedPort = DemoScenario.unusedPort();
            try (SampleTarget target = SampleTarget.start(0);
                 PipelineStack stack = PipelineStack.start(DemoScenario.stackSettings(base.withDataDir(dir)
                         .withPorts(0, 0).withAdminToken(null)), RepoLayout.locate())) {
                out.printf("   gateway %s | local-oci %s | sample target %s | started in %.1f s%n",
                        stack.gatewayUrl(), stack.ociUrl(), target.baseUrl(), (System.nanoTime() - t0) / 1e9);
                DemoReport report = new DemoScenario(stack, target, out).run(refusedPort);
                FeatureTour.Result features = new FeatureTour(stack, target, out).run();
                out.printf("demo finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                return report.asExpected() && features.asExpected() ? 0 : 1;
            }
        } finally {
            LogFanOut.terminal(null);
            logStream.close();
        }
    }

    private static void wipe(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
