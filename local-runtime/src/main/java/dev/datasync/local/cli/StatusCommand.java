package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.observe.PipelineStatus;
import dev.datasync.local.observe.StackView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./datasync status [--json]}: streams with retained messages and lag, held keys, dead letters, last hour. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = "Streams (retained messages, consumer lag per partition), held keys, dead letters, the last "
                + "hour's counts.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--json", description = "the status as JSON (the same as GET /admin/status)")
    boolean json;

    private final CliEnv cli;

    StatusCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = cli.dataDirWithStack();
        return cli.quietly(dataDir, () -> {
            ObjectNode status = status(dataDir);
            if (json) {
                cli.out().println(ControlChars.json(status));
            } else {
                text(status, cli.out());
            }
            return 0;
        });
    }

    static ObjectNode status(Path dataDir) throws Exception {
        try (OciSession s = OciSession.open(dataDir)) {
            return new PipelineStatus(StackView.of(s.clients(), s.resources(), dataDir), Clock.systemUTC()).now();
        }
    }

    private static void text(ObjectNode status, PrintStream out) {
        out.printf("%-32s %-9s %8s  %s%n", "STREAM", "PARTITION", "RETAINED", "LAG (consumer: messages behind)");
        for (JsonNode s : status.path("streams")) {
            for (JsonNode p : s.path("partitions")) {
                StringBuilder lag = new StringBuilder();
                for (Iterator<Map.Entry<String, JsonNode>> it = p.path("lag").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> g = it.next();
                    lag.append(lag.isEmpty() ? "" : ", ").append(g.getKey()).append(' ').append(g.getValue().asLong());
                }
                out.printf("%-32s %-9s %8d  %s%n", ControlChars.escape(s.path("name").asText()),
                        ControlChars.escape(p.path("partition").asText()), p.path("retained").asLong(),
                        lag.isEmpty() ? "-" : ControlChars.escape(lag.toString()));
            }
        }
        out.println("held keys " + status.path("heldKeys").asLong() + " · dead letters "
                + status.path("deadLetters").asLong());
        JsonNode h = status.path("lastHour");
        out.println("last hour: accepted " + h.path("accepted").asLong() + " · delivered " + h.path("delivered").asLong()
                + " · failed attempts " + h.path("failed").asLong() + " · routed " + h.path("routed").asLong()
                + " · dead-lettered " + h.path("deadLettered").asLong());
    }
}
