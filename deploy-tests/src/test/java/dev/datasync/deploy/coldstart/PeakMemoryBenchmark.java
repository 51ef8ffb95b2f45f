package dev.datasync.deploy.coldstart;

import dev.datasync.deploy.RepoPaths;
import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.LocalOciConfig;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

/**
 * Peak resident memory of a ReadDataStream function host delivering one batch, as the image runs it: a fresh JVM
 * with the image's class path, ENTRYPOINT flags (read from the Dockerfile), AppCDS archive (made as the image build
 * makes it) and environment, hosting the function in the real FDK runtime for one invocation (shared-model's
 * {@code CdsTraining}); the batch is delivered to a local target answering 200 after 20 ms (so the function's
 * {@code delivery_concurrency} calls are really in flight at once), its error streams and state are local-oci's.
 * The JVM is started with {@code -XX:MaxRAM} = the function's memory, so it sizes its heap as it would inside a
 * container of that size (OCI Functions' memory limit is the container's). The figure is {@code VmHWM}, the
 * kernel's peak resident set of the process ({@link PeakMemoryHost} prints it as the JVM exits); a one-message batch
 * in the same run shows what the host costs without the batch.
 * <p>
 * Prints figures, asserts none of them; it asserts that every message was delivered. {@code -Dbench.mode=short}
 * (CI default): one run of each batch; {@code full}: three, interleaved. Aim: at most 256 MB for 1,000 messages.
 */
public class PeakMemoryBenchmark {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static final String FUNCTION = "read-data-stream-fn";
    private static final String COMMAND = "dev.datasync.read.ReadDataStreamFunction::handleRequest";
    private static final int MEMORY_MB = 256;
    private static final int BATCH = 1_000;
    private static final Pattern PEAK = Pattern.compile(
            "\"event\":\"peak_memory\",\"vmHwmKb\":(\\d+),\"vmRssKb\":(\\d+),\"maxHeapMb\":(\\d+)");

    /** One run's figures. */
    private record Peak(long vmHwmKb, long maxHeapMb, long millis) {
    }

    @Test
    public void peakResidentMemoryOfAFunctionHostDeliveringABatch() throws Exception {
        boolean full = "full".equals(System.getProperty("bench.mode", "short"));
        int runs = full ? 3 : 1;
        Path tmp = TMP.getRoot().toPath();
        Path module = RepoPaths.root().resolve(FUNCTION);
        FunctionImageLayout layout = FunctionImageLayout.build(module, COMMAND, tmp.resolve("function"));
        FreshJvm jvm = new FreshJvm(Path.of(System.getProperty("java.home")), 180);
        Map<String, String> env = Map.of(JvmSetup.JDK_CONNECTOR, "true");
        AppCdsArchive.Outcome cds = AppCdsArchive.make(jvm, layout, List.of(env), tmp.resolve("cds"));
        List<String> flags = new ArrayList<>();
        cds.archive().ifPresent(a -> flags.addAll(List.of("-XX:SharedArchiveFile=" + a, "-Xshare:on")));
        flags.addAll(ImageEntrypoint.jvmFlags(module.resolve("Dockerfile")));
        flags.add("-XX:MaxRAM=" + MEMORY_MB + "m");
        // -Xshare:on, not the image's auto: a JVM that could not map the archive stops, so the figure is never one
        // without it. The image's class path, then this class's own folder for PeakMemoryHost (appended entries
        // keep the archive usable)
        String classPath = layout.classPath() + ":" + ownClassFolder();

        Map<Integer, List<Peak>> peaks = new TreeMap<>();
        Path events = Files.createDirectories(tmp.resolve("events"));
        double loadBefore = load();
        try (LocalOci oci = LocalOci.start(LocalOciConfig.builder().dataDir(tmp.resolve("oci")).port(0)
                .declaration(RepoPaths.funcConfigs().resolve("local/oci-declaration.json")).build());
             ScriptedTarget target = ScriptedTarget.start().fallback(Reply.status(200).delayed(20))) {
            Map<String, String> config = ColdStartEvent.localConfig(oci);
            for (int round = 0; round < runs; round++) {
                for (int messages : new int[] {1, BATCH}) {
                    String name = "r" + round + "n" + messages;
                    Path event = ReadBatchEvent.write(events, name, messages, target.baseUrl() + "/orders", config);
                    int before = target.received().size();
                    peaks.computeIfAbsent(messages, k -> new ArrayList<>())
                            .add(host(jvm, flags, classPath, env, event));
                    assertEquals("every message of the batch delivered", before + messages,
                            target.received().size());
                }
            }
        }
        StringBuilder table = new StringBuilder();
        peaks.forEach((messages, list) -> list.forEach(p -> table.append(String.format(
                "  %,5d-message batch: peak RSS (VmHWM) %5.1f MB, max heap %d MB, JVM start to exit %,d ms%n",
                messages, p.vmHwmKb() / 1024.0, p.maxHeapMb(), p.millis()))));
        long worst = peaks.get(BATCH).stream().mapToLong(Peak::vmHwmKb).max().orElseThrow();
        System.out.printf("PeakMemoryBenchmark (%s mode): %s in a fresh JVM as the image runs it (%s), "
                        + "-XX:MaxRAM=%dm; load average %.1f before / %.1f after%n%s"
                        + "  peak for %,d messages: %.1f MB (aim <= %d MB: %s)%n",
                full ? "full" : "short", FUNCTION, cds.archive().isPresent() ? "AppCDS archive, " + cds.detail()
                        : "NO AppCDS archive: " + cds.detail(), MEMORY_MB, loadBefore, load(), table, BATCH,
                worst / 1024.0, MEMORY_MB, worst / 1024.0 <= MEMORY_MB ? "met" : "NOT met");
    }

    private static Peak host(FreshJvm jvm, List<String> flags, String classPath, Map<String, String> env, Path event)
            throws Exception {
        List<String> args = new ArrayList<>(flags);
        args.addAll(List.of("-cp", classPath, PeakMemoryHost.class.getName(), COMMAND, event.toString()));
        Matcher[] found = new Matcher[1];
        FreshJvm.Exit exit = jvm.run(args, env, line -> {
            Matcher m = PEAK.matcher(line);
            if (m.find()) {
                found[0] = m;
            }
        });
        assertEquals("the host exits cleanly: " + exit.tail(), 0, exit.code());
        assertNotNull("the host printed its peak memory: " + exit.tail(), found[0]);
        return new Peak(Long.parseLong(found[0].group(1)), Long.parseLong(found[0].group(3)), exit.millis());
    }

    private static Path ownClassFolder() throws URISyntaxException {
        return Path.of(PeakMemoryHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
