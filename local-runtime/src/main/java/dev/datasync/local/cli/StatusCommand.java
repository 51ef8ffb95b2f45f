package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.log.ControlChars;
import dev.datasync.local.observe.PipelineStatus;
import dev.datasync.local.observe.StackView;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ./datasync status [--json]}: streams with retained messages and lag, held keys, dead letters, last hour. */
final class StatusCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusCommand() {
    }

    static int run(List<String> argv, Path dataDir, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of(), Set.of("json"));
        if (!args.positional().isEmpty()) {
            throw new CliException("usage: status [--json]");
        }
        ObjectNode status = status(dataDir);
        if (args.has("json")) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } else {
            text(status, out);
        }
        return 0;
    }

    static ObjectNode status(Path dataDir) throws Exception {
        TraceCommand.requireStack(dataDir);
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
