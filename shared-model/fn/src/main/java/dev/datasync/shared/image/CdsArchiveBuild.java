package dev.datasync.shared.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a function image's AppCDS archive; every function's Dockerfile runs it once, inside the run image, so the
 * archive matches the JVM that will map it:
 * <pre>java -cp "/function/app/*:/function/runtime/*" dev.datasync.shared.image.CdsArchiveBuild \
 *     &lt;Class::method&gt; /function/cds/training-event.properties /function/cds/app.jsa</pre>
 * Step 1: one representative invocation through the real FDK runtime ({@link CdsTraining}) in a JVM that records
 * every class it loads ({@code -XX:DumpLoadedClassList}); a failing training (wrong CMD, jar not built) fails the
 * image build. Step 2: a static archive of those classes ({@code -Xshare:dump}). A JVM that cannot dump must not
 * break the image: the function then starts without the archive (the ENTRYPOINT uses {@code -Xshare:auto}) and the
 * build log says so.
 *
 * It lives here, in shared-model's jar that every image already copies, so the three images share one copy of the
 * logic; deploy-tests' ColdStartBenchmark builds its archive with the same JVM arguments.
 */
public final class CdsArchiveBuild {

    /** The image's class path; training, dump and the ENTRYPOINT must use the same one, or CDS maps nothing. */
    public static final String IMAGE_CLASS_PATH = "/function/app/*:/function/runtime/*";
    /** The training call must not wait on SDK retries or a circuit breaker against the 404 stub. */
    public static final Map<String, String> TRAINING_ENV = Map.of(
            "OCI_SDK_DEFAULT_RETRY_ENABLED", "false",
            "OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED", "false");
    private static final String IMAGE_LIBRARY_PATH = "-Djava.library.path=/function/runtime/lib";
    private static final int DUMP_LOG_TAIL = 20;

    private CdsArchiveBuild() {
    }

    /** JVM arguments of the training run: the C1-only, SerialGC JVM the function runs in, listing what it loads. */
    public static List<String> trainingJvmArgs(Path classList, String classPath, String command, Path event) {
        return List.of("-XX:DumpLoadedClassList=" + classList, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", classPath, CdsTraining.class.getName(), command, event.toString());
    }

    /** Lambda-proxy entries crash -Xshare:dump on some JDK 17 builds; the classes themselves are still archived. */
    public static boolean archivable(String classListLine) {
        return !classListLine.startsWith("@lambda-proxy");
    }

    /** JVM arguments of the static dump of {@code classList} into {@code archive}. */
    public static List<String> dumpJvmArgs(Path classList, Path archive, String classPath) {
        return List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
                "-XX:+UseSerialGC", "-cp", classPath);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException(
                    "usage: CdsArchiveBuild <Class::method> <training-event.properties> <archive.jsa>");
        }
        String command = args[0];
        Path archive = Path.of(args[2]);
        Path work = Files.createTempDirectory("cds-build");
        Path loaded = work.resolve("classes.lst");
        List<String> training = new ArrayList<>(List.of(IMAGE_LIBRARY_PATH));
        training.addAll(trainingJvmArgs(loaded, IMAGE_CLASS_PATH, command, Path.of(args[1])));
        if (java(training, TRAINING_ENV, null) != 0 || !Files.exists(loaded)) {
            System.err.println("training invocation of " + command
                    + " failed: is the CMD right and the jar built (mvn -B package)?");
            System.exit(1);
        }
        Path listed = Files.write(work.resolve("classes.cds"),
                Files.readAllLines(loaded).stream().filter(CdsArchiveBuild::archivable).toList());
        Path dumpLog = work.resolve("cds-dump.log");
        if (java(dumpJvmArgs(listed, archive, IMAGE_CLASS_PATH), Map.of(), dumpLog) == 0) {
            System.out.println("AppCDS archive built: "
                    + Files.readAllLines(listed).stream().filter(l -> !l.isEmpty()).count() + " classes listed");
        } else {
            List<String> log = Files.readAllLines(dumpLog, StandardCharsets.UTF_8);
            log.subList(Math.max(0, log.size() - DUMP_LOG_TAIL), log.size()).forEach(System.out::println);
            System.err.println("WARNING: AppCDS archive NOT built; the function will start without it");
            Files.deleteIfExists(archive);
        }
        for (Path p : List.of(loaded, listed, dumpLog, work)) {
            Files.deleteIfExists(p);
        }
    }

    /** Runs the image's {@code java} with {@code args}; its output goes to the build log, or to {@code log}. */
    private static int java(List<String> args, Map<String, String> env, Path log)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (log == null) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        return pb.start().waitFor();
    }
}
