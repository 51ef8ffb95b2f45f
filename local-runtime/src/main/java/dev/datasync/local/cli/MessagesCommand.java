package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.ExactJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./datasync messages STREAM [--partition P] [--from OFFSET] [--limit N] [--json]}: decoded messages. The
 * messages hold secret names ({@code vaultSecretName}) only — tokens live in the vault and are never read here.
 */
@Command(name = "messages", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = {"Decoded messages of a stream, every partition unless --partition.",
                "Text output shows control characters in keys and values as escapes (\\n, \\u001b)."})
final class MessagesCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "STREAM", description = "the stream's name or OCID")
    String stream;

    @Option(names = "--partition", paramLabel = "P", description = "only this partition")
    String partition;

    @Option(names = "--from", paramLabel = "OFFSET", description = "start AT this offset (default: the oldest retained)")
    Long from;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N messages (${DEFAULT-VALUE})")
    long limitOption;

    @Option(names = "--json", description = "one JSON array instead of lines")
    boolean json;

    private final CliEnv cli;

    MessagesCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = cli.dataDirWithStack();
        return cli.quietly(dataDir, () -> show(dataDir, cli.out()));
    }

    private int show(Path dataDir, PrintStream out) throws Exception {
        long from = this.from == null ? -1 : this.from;
        int limit = (int) Math.max(1, Math.min(100_000, limitOption));
        try (OciSession s = OciSession.open(dataDir)) {
            String streamId = s.streamId(stream);
            StreamInspector inspector = new StreamInspector(s.clients().streamAdmin(), s.clients().stream());
            int partitions = inspector.get(streamId).getPartitions();
            List<String> selected = new ArrayList<>();
            if (partition != null) {
                selected.add(partition);
            } else {
                for (int p = 0; p < partitions; p++) {
                    selected.add(Integer.toString(p));
                }
            }
            ArrayNode array = JSON.createArrayNode();
            int shown = 0;
            for (String p : selected) {
                for (Message m : inspector.read(streamId, p, from < 0 ? null : from, limit - shown)) {
                    String key = m.getKey() == null ? null : new String(m.getKey(), StandardCharsets.UTF_8);
                    JsonNode value = decode(m.getValue());
                    if (json) {
                        ObjectNode o = array.addObject();
                        o.put("partition", m.getPartition());
                        o.put("offset", m.getOffset());
                        o.put("key", key);
                        o.put("timestamp", m.getTimestamp() == null ? null : m.getTimestamp().toInstant().toString());
                        o.set("value", value);
                    } else {
                        out.printf("p%s @%d key=%s %s%n", ControlChars.escape(m.getPartition()), m.getOffset(),
                                key == null ? "-" : ControlChars.escape(key),
                                ControlChars.escape(JSON.writeValueAsString(value)));
                    }
                    shown++;
                }
                if (shown >= limit) {
                    break;
                }
            }
            if (json) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            } else if (shown == 0) {
                out.println("(no messages)");
            }
        }
        return 0;
    }

    /** The value as JSON when it is JSON (its payload as the caller sent it), else as text. */
    private static JsonNode decode(byte[] value) {
        try {
            JsonNode n = ExactJson.parse(value, StreamMessage.TARGET_REST_API_PAYLOAD);
            if (n != null && !n.isMissingNode()) {
                return n;
            }
        } catch (Exception ignored) {
            // not JSON
        }
        return JSON.getNodeFactory().textNode(new String(value, StandardCharsets.UTF_8));
    }
}
