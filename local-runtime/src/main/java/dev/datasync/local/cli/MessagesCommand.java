package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.json.ExactJson;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ./datasync messages STREAM [--partition P] [--from OFFSET] [--limit N] [--json]}: decoded messages. The
 * messages hold secret names ({@code vaultSecretName}) only — tokens live in the vault and are never read here.
 */
final class MessagesCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessagesCommand() {
    }

    static int run(List<String> argv, Path dataDir, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of("from", "limit", "partition"), Set.of("json"));
        if (args.positional().size() != 1) {
            throw new CliException("usage: messages STREAM [--partition P] [--from OFFSET] [--limit N] [--json]");
        }
        long from = args.getLong("from", -1);
        int limit = (int) Math.max(1, Math.min(100_000, args.getLong("limit", 20)));
        try (OciSession s = OciSession.open(dataDir)) {
            String streamId = s.streamId(args.positional().get(0));
            StreamInspector inspector = new StreamInspector(s.clients().streamAdmin(), s.clients().stream());
            int partitions = inspector.get(streamId).getPartitions();
            List<String> selected = new ArrayList<>();
            if (args.has("partition")) {
                selected.add(args.get("partition", "0"));
            } else {
                for (int p = 0; p < partitions; p++) {
                    selected.add(Integer.toString(p));
                }
            }
            ArrayNode json = JSON.createArrayNode();
            int shown = 0;
            for (String p : selected) {
                for (Message m : inspector.read(streamId, p, from < 0 ? null : from, limit - shown)) {
                    String key = m.getKey() == null ? null : new String(m.getKey(), StandardCharsets.UTF_8);
                    JsonNode value = decode(m.getValue());
                    if (args.has("json")) {
                        ObjectNode o = json.addObject();
                        o.put("partition", m.getPartition());
                        o.put("offset", m.getOffset());
                        o.put("key", key);
                        o.put("timestamp", m.getTimestamp() == null ? null : m.getTimestamp().toInstant().toString());
                        o.set("value", value);
                    } else {
                        out.printf("p%s @%d key=%s %s%n", m.getPartition(), m.getOffset(),
                                key == null ? "-" : key, JSON.writeValueAsString(value));
                    }
                    shown++;
                }
                if (shown >= limit) {
                    break;
                }
            }
            if (args.has("json")) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
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
