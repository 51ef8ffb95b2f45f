package dev.datasync.deploy.coldstart;

import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import dev.datasync.deploy.RepoPaths;
import dev.datasync.deploy.coldstart.JvmSetup.CdsVariant;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.Assert.assertEquals;

/**
 * Cold start of PopulateDataStreamFunction as the image runs it: for each JVM setup, fresh JVMs each host the
 * function in the real FDK runtime ({@code image/CdsTraining.java}, the image's own one-invocation host, with
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

        Map<CdsVariant, AppCdsArchive.Outcome> archives = new EnumMap<>(CdsVariant.class);
        for (CdsVariant variant : CdsVariant.values()) {
            AppCdsArchive.Outcome outcome = AppCdsArchive.make(jvm, layout, variant.trainingEnv,
                    tmp.resolve("cds-" + variant.name().toLowerCase()));
            archives.put(variant, outcome);
            if (outcome.archive().isPresent()) {
                System.out.println("AppCDS archive (" + variant + "): " + outcome.detail());
            } else {
                String warning = "WARNING: AppCDS archive (" + variant + ") NOT created on this JDK ("
                        + System.getProperty("java.vm.version") + "), its setups are skipped: " + outcome.detail();
                System.out.println(warning);
                System.err.println(warning);
            }
        }

        List<JvmSetup> setups = setups(module.resolve("Dockerfile"));
        ColdStartTable table = new ColdStartTable();
        List<JvmSetup> runnable = new ArrayList<>();
        for (JvmSetup s : setups) {
            Optional<String> missing = s.archive().filter(v -> archives.get(v).archive().isEmpty())
                    .map(v -> "no AppCDS archive: " + archives.get(v).detail());
            missing.ifPresentOrElse(why -> table.skipped(s, why), () -> runnable.add(s));
        }

        Path events = Files.createDirectories(tmp.resolve("events"));
        try (LocalOci oci = LocalOci.start(LocalOciConfig.builder().dataDir(tmp.resolve("oci")).port(0)
                .declaration(RepoPaths.funcConfigs().resolve("local/oci-declaration.json")).build())) {
            ColdStartEvent event = ColdStartEvent.against(oci, layout.trainingEvent());
            // Untimed: local-oci's own first requests (class loading and JIT in this JVM) must not count
            // against whichever setup happens to run first.
            JvmSetup warmUp = runnable.get(runnable.size() - 1);
            assertEquals(202, jvm.coldStart(warmUp, archiveOf(warmUp, archives), layout,
                    event.write(events, "warm-up")).httpStatus());
            for (int round = 0; round < runs; round++) {
                for (int i = 0; i < runnable.size(); i++) {
                    JvmSetup s = runnable.get(i);
                    FreshJvm.ColdStart run = jvm.coldStart(s, archiveOf(s, archives), layout,
                            event.write(events, i + "-" + round));
                    assertEquals(s.name() + ": the function must accept the request", 202, run.httpStatus());
                    table.add(s, run);
                }
            }
            System.out.printf("Cold start of %s: fresh JVM -> first answer through the FDK runtime, clients built,"
                            + " Vault + PutMessages on local-oci%nmode=%s, %d runs per setup, %s %s, %d CPUs; ms from"
                            + " JVM start (child, RuntimeMXBean); spawn-med = parent, ProcessBuilder.start() -> answer"
                            + " line%n%s", FUNCTION, full ? "full" : "short", runs, System.getProperty("java.vm.name"),
                    System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), table.render());
            assertEquals("one DataSyncStream message per run (warm-up included)", table.count() + 1,
                    messagesIn(oci, oci.resources().streams().get("DataSyncStream")));
        }
    }

    /**
     * Cumulative, in the order the image adds them; the last one starts the JVM with the image's ENTRYPOINT
     * flags (read from the Dockerfile) and environment.
     */
    private static List<JvmSetup> setups(Path dockerfile) throws Exception {
        Map<String, String> jdkConnector = Map.of(JvmSetup.JDK_CONNECTOR, "true");
        return List.of(
                new JvmSetup("default flags", List.of(), Map.of(), Optional.empty()),
                new JvmSetup(C1_ONLY, List.of(C1_ONLY), Map.of(), Optional.empty()),
                new JvmSetup("+ AppCDS archive", List.of(C1_ONLY), Map.of(), Optional.of(CdsVariant.SDK_DEFAULT_CONNECTOR)),
                new JvmSetup("+ " + JvmSetup.JDK_CONNECTOR + "=true", List.of(C1_ONLY), jdkConnector,
                        Optional.of(CdsVariant.JDK_CONNECTOR)),
                new JvmSetup("image ENTRYPOINT: Dockerfile's flags + ENV",
                        ImageEntrypoint.jvmFlags(dockerfile), jdkConnector, Optional.of(CdsVariant.JDK_CONNECTOR)));
    }

    private static Path archiveOf(JvmSetup setup, Map<CdsVariant, AppCdsArchive.Outcome> archives) {
        return setup.archive().flatMap(v -> archives.get(v).archive()).orElse(null);
    }

    private static long messagesIn(LocalOci oci, String streamId) throws Exception {
        try (StreamClient client = StreamClient.builder().endpoint(oci.baseUrl())
                .build(new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile()))) {
            long count = 0;
            for (String partition : List.of("0", "1")) {
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
