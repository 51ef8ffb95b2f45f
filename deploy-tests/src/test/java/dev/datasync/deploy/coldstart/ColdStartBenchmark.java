package dev.datasync.deploy.coldstart;

import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.streaming.StreamAdminClient;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import com.oracle.bmc.streaming.requests.GetStreamRequest;
import dev.datasync.deploy.RepoPaths;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/**
 * Cold start of PopulateDataStreamFunction as the image runs it: for each JVM setup, fresh JVMs each host the
 * function in the real FDK runtime (shared-model's {@code CdsTraining}, the images' own one-invocation host, with
 * {@code EntryPoint} and a one-shot codec) and send it ONE real request: the function is created, its OCI SDK
 * clients are built, a secret is created in Vault and a message written with PutMessages, all against local-oci.
 * The figure is the time from JVM start ({@code RuntimeMXBean.getStartTime()}, measured in the child) to the
 * function's answer; the parent's spawn-to-answer time is printed beside it.
 *
 * Prints figures, asserts none of them (a shared machine makes timings noisy); it does assert that every run was
 * a real, accepted request (HTTP 202, one message in DataSyncStream per run).
 * {@code -Dbench.mode=short} (CI default): 3 runs per setup; {@code full}: 10. Runs are interleaved (one of each
 * setup per round) so that load drifting on the machine spreads over all setups.
 */
public class ColdStartBenchmark {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static final String FUNCTION = "populate-data-stream-fn";
    private static final String COMMAND = "dev.datasync.populate.PopulateDataStreamFunction::handleRequest";
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @Test
    public void firstInvocationInAFreshJvmPerSetup() throws Exception {
        boolean full = "full".equals(System.getProperty("bench.mode", "short"));
        int runs = full ? 10 : 3;
        Path tmp = TMP.getRoot().toPath();
        Path module = RepoPaths.root().resolve(FUNCTION);
        FunctionImageLayout layout = FunctionImageLayout.build(module, COMMAND, tmp.resolve("function"));
        FreshJvm jvm = new FreshJvm(Path.of(System.getProperty("java.home")), 120);

        Map<String, String> jdkConnector = Map.of(JvmSetup.JDK_CONNECTOR, "true");
        // one archive, trained with either connector, made once for all setups that map it
        AppCdsArchive.Outcome cds = AppCdsArchive.make(jvm, layout, List.of(Map.of(), jdkConnector), tmp.resolve("cds"));
        if (cds.archive().isPresent()) {
            System.out.println("AppCDS archive: " + cds.detail());
        } else {
            String warning = "WARNING: AppCDS archive NOT created on this JDK (" + System.getProperty("java.vm.version")
                    + "); the AppCDS setups are skipped: " + cds.detail();
            System.out.println(warning);
            System.err.println(warning);
        }
        Path archive = cds.archive().orElse(null);

        ColdStartTable table = new ColdStartTable();
        List<JvmSetup> runnable = new ArrayList<>();
        for (JvmSetup s : setups(module.resolve("Dockerfile"), jdkConnector)) {
            if (s.appCds() && archive == null) {
                table.skipped(s, "no AppCDS archive");
            } else {
                runnable.add(s);
            }
        }

        Path events = Files.createDirectories(tmp.resolve("events"));
        try (LocalOci oci = LocalOci.start(LocalOciConfig.builder().dataDir(tmp.resolve("oci")).port(0)
                .declaration(RepoPaths.funcConfigs().resolve("local/oci-declaration.json")).build())) {
            ColdStartEvent event = ColdStartEvent.against(oci, layout.trainingEvent());
            // Untimed: local-oci's own first requests (class loading and JIT in this JVM) must not count
            // against whichever setup happens to run first.
            JvmSetup warmUp = runnable.get(runnable.size() - 1);
            double loadBefore = load();
            assertEquals(202, jvm.coldStart(warmUp, warmUp.appCds() ? archive : null, layout,
                    event.write(events, "warm-up")).httpStatus());
            for (int round = 0; round < runs; round++) {
                for (int i = 0; i < runnable.size(); i++) {
                    JvmSetup s = runnable.get(i);
                    FreshJvm.ColdStart run = jvm.coldStart(s, s.appCds() ? archive : null, layout,
                            event.write(events, i + "-" + round));
                    assertEquals(s.name() + ": the function must accept the request", 202, run.httpStatus());
                    table.add(s, run);
                }
            }
            System.out.printf("Cold start of %s: fresh JVM -> first answer through the FDK runtime, clients built,"
                            + " Vault + PutMessages on local-oci%nmode=%s, %d runs per setup, %s %s, %d CPUs, load"
                            + " average %.1f before / %.1f after; ms from JVM start (child, RuntimeMXBean);"
                            + " spawn-med = parent, ProcessBuilder.start() -> answer line%n%s", FUNCTION,
                    full ? "full" : "short", runs, System.getProperty("java.vm.name"),
                    System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), loadBefore,
                    load(), table.render());
            assertEquals("one DataSyncStream message per run (warm-up included)", table.count() + 1,
                    messagesIn(oci, oci.resources().streams().get("DataSyncStream")));
        }
    }

    /**
     * Cumulative, in the order the image adds them; the last one starts the JVM with the image's ENTRYPOINT
     * flags (read from the Dockerfile) and environment.
     */
    private static List<JvmSetup> setups(Path dockerfile, Map<String, String> jdkConnector) throws Exception {
        return List.of(
                new JvmSetup("default flags", List.of(), Map.of(), false),
                new JvmSetup(C1_ONLY, List.of(C1_ONLY), Map.of(), false),
                new JvmSetup("+ AppCDS archive", List.of(C1_ONLY), Map.of(), true),
                new JvmSetup("+ " + JvmSetup.JDK_CONNECTOR + "=true", List.of(C1_ONLY), jdkConnector, true),
                new JvmSetup("image ENTRYPOINT: Dockerfile's flags + ENV",
                        ImageEntrypoint.jvmFlags(dockerfile), jdkConnector, true));
    }

    /** The figures are only as good as the machine is quiet: printed with them. */
    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long messagesIn(LocalOci oci, String streamId) throws Exception {
        var auth = new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile());
        try (StreamAdminClient admin = StreamAdminClient.builder().endpoint(oci.baseUrl()).build(auth);
             StreamClient client = StreamClient.builder().endpoint(oci.baseUrl()).build(auth)) {
            int partitions = admin.getStream(GetStreamRequest.builder().streamId(streamId).build()).getStream()
                    .getPartitions();
            long count = 0;
            for (int p = 0; p < partitions; p++) {
                String partition = Integer.toString(p);
                String cursor = client.createCursor(CreateCursorRequest.builder().streamId(streamId)
                        .createCursorDetails(CreateCursorDetails.builder().partition(partition)
                                .type(CreateCursorDetails.Type.TrimHorizon).build()).build()).getCursor().getValue();
                count += client.getMessages(GetMessagesRequest.builder().streamId(streamId).cursor(cursor)
                        .limit(10000).build()).getItems().size();
            }
            return count;
        }
    }
}
