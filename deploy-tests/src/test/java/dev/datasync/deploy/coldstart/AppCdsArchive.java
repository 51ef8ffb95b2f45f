package dev.datasync.deploy.coldstart;

import dev.datasync.shared.image.CdsArchiveBuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes one AppCDS archive the way the image does ({@code CdsArchiveBuild}, with its JVM arguments and class-list
 * filter): a training invocation ({@code CdsTraining} with the image's {@code training-event.properties}, every OCI
 * endpoint a 404 stub) run with {@code -XX:DumpLoadedClassList}, lambda-proxy lines dropped, then
 * {@code -Xshare:dump}; then checks that a JVM
 * with the image's class path maps it ({@code -Xshare:on} refuses to start otherwise).
 * Unlike the image it trains once per given environment and archives the union of the classes, so one archive
 * serves setups with either SDK HTTP connector (one dump: the slowest step).
 * A failure is an answer (the image then starts without an archive), not an exception.
 */
final class AppCdsArchive {

    /** The archive, or why there is none. */
    record Outcome(Optional<Path> archive, String detail) {
    }

    private AppCdsArchive() {
    }

    static Outcome make(FreshJvm jvm, FunctionImageLayout layout, List<Map<String, String>> trainingEnvs, Path dir)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Set<String> classes = new LinkedHashSet<>();
        long trainingMillis = 0;
        for (int i = 0; i < trainingEnvs.size(); i++) {
            Path classList = dir.resolve("classes-" + i + ".lst");
            Map<String, String> env = new HashMap<>(trainingEnvs.get(i));
            env.putAll(CdsArchiveBuild.TRAINING_ENV);
            FreshJvm.Exit training = jvm.run(CdsArchiveBuild.trainingJvmArgs(classList, layout.classPath(),
                    layout.command(), layout.trainingEvent()), env);
            if (training.code() != 0 || !Files.exists(classList)) {
                return new Outcome(Optional.empty(), "training run " + trainingEnvs.get(i) + " failed (exit "
                        + training.code() + "): " + training.tail());
            }
            trainingMillis += training.millis();
            Files.readAllLines(classList).stream().filter(CdsArchiveBuild::archivable).forEach(classes::add);
        }
        Path list = Files.write(dir.resolve("classes.cds"), classes);
        Path archive = dir.resolve("app.jsa");
        FreshJvm.Exit dump = jvm.run(CdsArchiveBuild.dumpJvmArgs(list, archive, layout.classPath()), Map.of());
        if (dump.code() != 0 || !Files.exists(archive)) {
            return new Outcome(Optional.empty(), "-Xshare:dump failed (exit " + dump.code() + "): " + dump.tail());
        }
        FreshJvm.Exit mapped = jvm.run(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp",
                layout.classPath(), "-version"), Map.of());
        if (mapped.code() != 0) {
            return new Outcome(Optional.empty(), "archive built but not mapped with -Xshare:on: " + mapped.tail());
        }
        return new Outcome(Optional.of(archive), classes.size() + " classes, " + Files.size(archive) / (1024 * 1024)
                + " MiB; " + trainingEnvs.size() + " training runs " + trainingMillis + " ms, dump " + dump.millis()
                + " ms");
    }
}
