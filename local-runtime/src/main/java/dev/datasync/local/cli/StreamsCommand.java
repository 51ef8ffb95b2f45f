package dev.datasync.local.cli;

import dev.datasync.local.log.ControlChars;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.bmc.streaming.model.StreamSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code ./datasync streams [--json]}: name, OCID, partitions and retained messages of every stream. */
@Command(name = "streams", mixinStandardHelpOptions = true, versionProvider = DataSyncCli.Version.class,
        description = "Every stream: name, partitions, retained messages, OCID.")
final class StreamsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "one JSON array instead of the table")
    boolean json;

    private final CliEnv cli;

    StreamsCommand(CliEnv cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        Path dataDir = cli.dataDirWithStack();
        return cli.quietly(dataDir, () -> list(dataDir, cli.out()));
    }

    private int list(Path dataDir, PrintStream out) throws Exception {
        try (OciSession s = OciSession.open(dataDir)) {
            StreamInspector inspector = new StreamInspector(s.clients().streamAdmin(), s.clients().stream());
            Set<String> compartments = new LinkedHashSet<>(s.resources().compartments().values());
            compartments.add(s.resources().tenancy());
            ArrayNode array = new ObjectMapper().createArrayNode();
            if (!json) {
                out.printf("%-32s %-10s %8s  %s%n", "NAME", "PARTITIONS", "RETAINED", "OCID");
            }
            for (StreamSummary st : inspector.list(compartments)) {
                int partitions = st.getPartitions() == null ? inspector.get(st.getId()).getPartitions()
                        : st.getPartitions();
                long retained = 0;
                for (int p = 0; p < partitions; p++) {
                    retained += inspector.retained(st.getId(), Integer.toString(p));
                }
                if (json) {
                    ObjectNode o = array.addObject();
                    o.put("name", st.getName());
                    o.put("id", st.getId());
                    o.put("partitions", partitions);
                    o.put("retainedMessages", retained);
                } else {
                    out.printf("%-32s %-10d %8d  %s%n", ControlChars.escape(st.getName()), partitions, retained,
                            ControlChars.escape(st.getId()));
                }
            }
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
            }
        }
        return 0;
    }
}
