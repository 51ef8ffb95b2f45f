package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.stack.StackInfo;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.json.Json;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code ./datasync ingest FILE [--source NAME] [--as OBJECT_NAME] [--timeout SECONDS] [--json]}: uploads a JSON
 * Lines file of sync requests to the running stack's ingest bucket as source NAME ({@code local} by default), under
 * {@code incoming/<NAME>/<file name>}, and waits for its result object: progress while the stack's Events rule has
 * bulk-ingest-fn read it, then the counts and the lines refused (with {@code --json}, the result object's summary
 * and the refused lines as one JSON object). Exit status 0 once the file is ingested (refused lines included), 1
 * when the file was refused whole or no result came in time.
 */
final class IngestCommand {

    static final String USAGE = "usage: ingest FILE [--source NAME] [--as OBJECT_NAME] [--timeout SECONDS] [--json]";
    private static final int SHOWN_REFUSALS = 10;

    private IngestCommand() {
    }

    static int run(List<String> argv, Path dataDir, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("source", "as", "timeout"), Set.of("json"));
        if (args.positional().size() != 1) {
            throw new CliException(USAGE);
        }
        if (StackInfo.readLive(dataDir).isEmpty()) {
            throw new CliException("no running stack for data dir " + dataDir + " — start it with ./datasync up");
        }
        Path file = Path.of(args.positional().get(0));
        if (!Files.isRegularFile(file)) {
            throw new CliException("no such file: " + file);
        }
        String source = args.get("source", "local");
        if (!SourcePolicy.isValidId(source)) {
            throw new CliException("--source must be a source id (lower-case letters, digits, '-'), got " + source);
        }
        String name = args.get("as", file.getFileName().toString());
        boolean json = args.has("json");
        Duration timeout = Duration.ofSeconds(Math.max(1, args.getLong("timeout", 600)));
        IngestDriver.Outcome o;
        try (OciSession s = OciSession.open(dataDir)) {
            if (!json) {
                out.printf("uploading %s as incoming/%s/%s (%d bytes)%n", file, source, name, Files.size(file));
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
            out.println(Json.toText(n));
        } else if (refusedWhole) {
            out.printf("refused whole: %s — %s; nothing was written (%s)%n", summary.path("error").path("code")
                    .asText(), summary.path("error").path("message").asText(), o.results());
        } else {
            out.printf("done: %d lines, %d written to DataSyncStream, %d refused, %d blank (%s; the file is now %s)%n",
                    summary.path("lines").asLong(), summary.path("written").asLong(), summary.path("refused")
                            .asLong(), summary.path("blank").asLong(), o.results(), summary.path("processedAs")
                            .asText());
            for (JsonNode r : o.refusedLines().subList(0, Math.min(SHOWN_REFUSALS, o.refusedLines().size()))) {
                JsonNode e = r.path("error");
                out.printf("  line %d: %s%s — %s%n", r.path("line").asLong(), e.path("code").asText(),
                        e.has("field") ? " (" + e.path("field").asText() + ")" : "", e.path("message").asText());
            }
            if (o.refusedLines().size() > SHOWN_REFUSALS) {
                out.printf("  … and %d more in %s%n", o.refusedLines().size() - SHOWN_REFUSALS, o.results());
            }
        }
        return refusedWhole ? 1 : 0;
    }
}
