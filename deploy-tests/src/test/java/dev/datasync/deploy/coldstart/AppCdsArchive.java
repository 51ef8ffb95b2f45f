package dev.datasync.deploy.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes an AppCDS archive the way the image's {@code image/build-cds.sh} does: one training invocation
 * ({@code CdsTraining} with the image's {@code training-event.properties}, every OCI endpoint a 404 stub) run with
 * {@code -XX:DumpLoadedClassList}, lambda-proxy lines dropped, then {@code -Xshare:dump}; and checks that a JVM
 * with the image's class path maps it ({@code -Xshare:on} refuses to start otherwise).
 * A failure is an answer (the image then starts without an archive), not an exception.
 */
final class AppCdsArchive {

    /** The archive, or why there is none. */
    record Outcome(Optional<Path> archive, String detail) {
    }

    private AppCdsArchive() {
    }

    static Outcome make(FreshJvm jvm, FunctionImageLayout layout, Map<String, String> trainingEnv, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path classList = dir.resolve("classes.lst");
        Path archive = dir.resolve("app.jsa");
        Map<String, String> env = new java.util.HashMap<>(trainingEnv);
        env.put("OCI_SDK_DEFAULT_RETRY_ENABLED", "false");
        env.put("OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED", "false");
        FreshJvm.Exit training = jvm.run(List.of("-XX:DumpLoadedClassList=" + classList, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", layout.classPath(), "dev.datasync.image.CdsTraining", layout.command(),
                layout.trainingEvent().toString()), env);
        if (training.code() != 0 || !Files.exists(classList)) {
            return new Outcome(Optional.empty(), "training run failed (exit " + training.code() + "): " + training.tail());
        }
        // Same filter as build-cds.sh: lambda-proxy entries crash -Xshare:dump on some JDK 17 builds.
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(classList)) {
            if (!line.startsWith("@lambda-proxy")) {
                classes.add(line);
            }
        }
        Path filtered = Files.write(dir.resolve("classes.cds"), classes);
        FreshJvm.Exit dump = jvm.run(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + filtered,
                "-XX:SharedArchiveFile=" + archive, "-XX:+UseSerialGC", "-cp", layout.classPath()), Map.of());
        if (dump.code() != 0 || !Files.exists(archive)) {
            return new Outcome(Optional.empty(), "-Xshare:dump failed (exit " + dump.code() + "): " + dump.tail());
        }
        FreshJvm.Exit mapped = jvm.run(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp",
                layout.classPath(), "-version"), Map.of());
        if (mapped.code() != 0) {
            return new Outcome(Optional.empty(), "archive built but not mapped with -Xshare:on: " + mapped.tail());
        }
        return new Outcome(Optional.of(archive), classes.size() + " classes listed, "
                + Files.size(archive) / (1024 * 1024) + " MiB, training " + training.millis() + " ms + dump "
                + dump.millis() + " ms");
    }
}
