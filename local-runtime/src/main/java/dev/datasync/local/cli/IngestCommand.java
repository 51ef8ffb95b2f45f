package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.json.Json;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ./datasync ingest FILE [--source NAME] [--as OBJECT_NAME] [--timeout SECONDS] [--json]}: uploads a JSON
 * Lines file of sync requests to the running stack's ingest bucket as source NAME ({@code local} by default), under
 * {@code incoming/<NAME>/<file name>}, and waits for its result object: progress while the stack's Events rule has
 * bulk-ingest-fn read it, then the counts and the lines refused (with {@code --json}, the result object's summary
 * and the refused lines as one JSON object). Exit status 0 once the file is ingested (refused lines included), 1
 * when the file was refused whole or no result came in time.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = {"Upload a JSON Lines file of sync requests as source NAME to the running stack's ingest "
                + "bucket and wait for its result object.",
                "Exit 1 when the file was refused whole or no result came within --timeout."})
final class IngestCommand implements Callable<Integer> {

    private static final int SHOWN_REFUSALS = 10;

    @Parameters(paramLabel = "FILE", description = "one /stream/sync body per line, no tokens")
    Path file;

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "local",
            description = "the source the file is ingested as (${DEFAULT-VALUE})")
    String source;

    @Option(names = "--as", paramLabel = "OBJECT_NAME", description = "object name (default: the file's name)")
    String as;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "how long to wait for the result object (${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Option(names = "--json", description = "the summary and every refused line as one JSON object")
    boolean json;

    private final CliEnv cli;

    IngestCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = cli.dataDirWithStack();
        return cli.quietly(dataDir, () -> ingest(dataDir, cli.out()));
    }

    private int ingest(Path dataDir, PrintStream out) throws Exception {
        if (StackInfo.readLive(dataDir).isEmpty()) {
            throw new CliException("no running stack for data dir " + dataDir + " — start it with ./datasync up");
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException("no such file: " + file);
        }
        if (!SourcePolicy.isValidId(source)) {
            throw new CliException("--source must be a source id (lower-case letters, digits, '-'), got " + source);
        }
        String name = as != null ? as : file.getFileName().toString();
        Duration timeout = Duration.ofSeconds(Math.max(1, timeoutSeconds));
        IngestDriver.Outcome o;
        try (OciSession s = OciSession.open(dataDir)) {
            if (!json) {
                out.printf("uploading %s as incoming/%s/%s (%d bytes)%n", ControlChars.escape(file.toString()),
                        source, ControlChars.escape(name), Files.size(file));
            }
            o = new IngestDriver(s.clients().objectStorage(), s.resources().namespace()).ingest(source, name,
                    Files.readAllBytes(file), timeout, p -> {
                        if (!json) {
                            out.printf("  at line %d: %d written, %d refused%n", p.nextLine(), p.written(),
                                    p.refused());
                        }
                    });
        } catch (IngestDriver.TimedOut e) {
            throw new CliException(e.getMessage() + " (is ./datasync up running with this data dir?)");
        }
        JsonNode summary = o.summary();
        boolean refusedWhole = summary.has("error");
        if (json) {
            ObjectNode n = Json.mapper().createObjectNode();
            n.put("results", o.results());
            n.set("summary", summary);
            n.set("refusedLines", Json.mapper().valueToTree(o.refusedLines()));
            out.println(ControlChars.json(n));
        } else if (refusedWhole) {
            out.printf("refused whole: %s — %s; nothing was written (%s)%n", ControlChars.escape(summary.path("error")
                    .path("code").asText()), ControlChars.escape(summary.path("error").path("message").asText()),
                    ControlChars.escape(o.results()));
        } else {
            out.printf("done: %d lines, %d written to DataSyncStream, %d refused, %d blank (%s; the file is now %s)%n",
                    summary.path("lines").asLong(), summary.path("written").asLong(), summary.path("refused")
                            .asLong(), summary.path("blank").asLong(), o.results(), summary.path("processedAs")
                            .asText());
            for (JsonNode r : o.refusedLines().subList(0, Math.min(SHOWN_REFUSALS, o.refusedLines().size()))) {
                JsonNode e = r.path("error");
                out.printf("  line %d: %s%s — %s%n", r.path("line").asLong(), ControlChars.escape(e.path("code")
                        .asText()), e.has("field") ? " (" + ControlChars.escape(e.path("field").asText()) + ")" : "",
                        ControlChars.escape(e.path("message").asText()));
            }
            if (o.refusedLines().size() > SHOWN_REFUSALS) {
                out.printf("  … and %d more in %s%n", o.refusedLines().size() - SHOWN_REFUSALS, o.results());
            }
        }
        return refusedWhole ? 1 : 0;
    }
}
