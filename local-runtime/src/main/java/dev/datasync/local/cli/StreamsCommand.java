package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.StreamSummary;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code ./datasync streams [--json]}: name, OCID, partitions and retained messages of every stream. */
final class StreamsCommand {

    private StreamsCommand() {
    }

    static int run(List<String> argv, Path dataDir, PrintStream out) throws Exception {
        Args args = new Args(argv, Set.of(), Set.of("json"));
        try (OciSession s = OciSession.open(dataDir)) {
            StreamInspector inspector = new StreamInspector(s.clients().streamAdmin(), s.clients().stream());
            Set<String> compartments = new LinkedHashSet<>(s.resources().compartments().values());
            compartments.add(s.resources().tenancy());
            ArrayNode json = new ObjectMapper().createArrayNode();
            if (!args.has("json")) {
                out.printf("%-32s %-10s %8s  %s%n", "NAME", "PARTITIONS", "RETAINED", "OCID");
            }
            for (StreamSummary st : inspector.list(compartments)) {
                int partitions = st.getPartitions() == null ? inspector.get(st.getId()).getPartitions()
                        : st.getPartitions();
                long retained = 0;
                for (int p = 0; p < partitions; p++) {
                    retained += inspector.retained(st.getId(), Integer.toString(p));
                }
                if (args.has("json")) {
                    ObjectNode o = json.addObject();
                    o.put("name", st.getName());
                    o.put("id", st.getId());
                    o.put("partitions", partitions);
                    o.put("retainedMessages", retained);
                } else {
                    out.printf("%-32s %-10d %8d  %s%n", st.getName(), partitions, retained, st.getId());
                }
            }
            if (args.has("json")) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            }
        }
        return 0;
    }
}
