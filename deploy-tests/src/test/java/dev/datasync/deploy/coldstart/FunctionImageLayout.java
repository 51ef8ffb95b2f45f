package dev.datasync.deploy.coldstart;

import com.fnproject.fn.runtime.EntryPoint;
import net.jodah.typetools.TypeResolver;
import org.apache.commons.io.IOUtils;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A function image's {@code /function} tree rebuilt in a temporary folder, so fresh JVMs start with the class path
 * the image starts with: {@code app/} = the jars {@code fn deploy} copies (the function jar and
 * {@code target/dependency}, written by {@code mvn package}; shared-model's jar among them carries the training
 * code, {@code dev.datasync.shared.image.CdsTraining}), {@code runtime/} = the FDK runtime, and {@code cds/} = the
 * function's {@code image/training-event.properties}. Jars only: AppCDS archives no classes from directories.
 */
record FunctionImageLayout(Path root, String command, Path trainingEvent) {

    /** The image's class path ({@code CdsArchiveBuild.IMAGE_CLASS_PATH}, the ENTRYPOINT's), rooted at {@link #root()}. */
    String classPath() {
        return root.resolve("app") + "/*:" + root.resolve("runtime") + "/*";
    }

    static FunctionImageLayout build(Path functionModule, String command, Path root) throws IOException {
        Path target = functionModule.resolve("target");
        Path app = Files.createDirectories(root.resolve("app"));
        copyJars(functionJars(target, functionModule.getFileName().toString()), app);
        Path runtime = Files.createDirectories(root.resolve("runtime"));
        copyJars(List.of(jarOf(EntryPoint.class), jarOf(IOUtils.class), jarOf(TypeResolver.class)), runtime);
        Path cds = Files.createDirectories(root.resolve("cds"));
        Path event = Files.copy(functionModule.resolve("image/training-event.properties"),
                cds.resolve("training-event.properties"));
        return new FunctionImageLayout(root, command, event);
    }

    private static List<Path> functionJars(Path target, String artifactId) throws IOException {
        Path dependencies = target.resolve("dependency");
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> own = Files.list(target)) {
            own.filter(p -> p.getFileName().toString().startsWith(artifactId + "-"))
                    .filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(jars::add);
        }
        if (jars.isEmpty() || !Files.isDirectory(dependencies)) {
            throw new IllegalStateException("no " + artifactId + " jar or " + dependencies + ": the benchmark starts the"
                    + " jars fn deploy ships; build them first (mvn -B package, or -pl deploy-tests -am)");
        }
        try (Stream<Path> deps = Files.list(dependencies)) {
            deps.filter(p -> p.getFileName().toString().endsWith(".jar")).forEach(jars::add);
        }
        return jars;
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyJars(List<Path> jars, Path dir) throws IOException {
        for (Path jar : jars) {
            Files.copy(jar, dir.resolve(jar.getFileName()));
        }
    }
}
