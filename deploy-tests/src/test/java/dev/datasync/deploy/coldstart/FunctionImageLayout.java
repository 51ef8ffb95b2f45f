package dev.datasync.deploy.coldstart;

import com.fnproject.fn.runtime.EntryPoint;
import net.jodah.typetools.TypeResolver;
import org.apache.commons.io.IOUtils;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A function image's {@code /function} tree rebuilt in a temporary folder, so fresh JVMs start with the class path
 * the image starts with: {@code app/} = the jars {@code fn deploy} copies (the function jar and
 * {@code target/dependency}, written by {@code mvn package}), {@code runtime/} = the FDK runtime, and
 * {@code cds/cds-training.jar} = the image's own {@code image/CdsTraining.java}, compiled here as the Dockerfile
 * compiles it. Jars only: AppCDS archives no classes from directories.
 */
record FunctionImageLayout(Path root, String command, Path trainingEvent) {

    /** The image's class path (the ENTRYPOINT's {@code -cp}), rooted at {@link #root()}. */
    String classPath() {
        return root.resolve("app") + "/*:" + root.resolve("runtime") + "/*:" + root.resolve("cds/cds-training.jar");
    }

    static FunctionImageLayout build(Path functionModule, String command, Path root) throws IOException {
        Path target = functionModule.resolve("target");
        Path app = Files.createDirectories(root.resolve("app"));
        copyJars(functionJars(target, functionModule.getFileName().toString()), app);
        Path runtime = Files.createDirectories(root.resolve("runtime"));
        copyJars(List.of(jarOf(EntryPoint.class), jarOf(IOUtils.class), jarOf(TypeResolver.class)), runtime);
        Path cds = Files.createDirectories(root.resolve("cds"));
        Path image = functionModule.resolve("image");
        compileTrainingJar(image.resolve("CdsTraining.java"), jarsIn(app) + File.pathSeparator + jarsIn(runtime),
                cds.resolve("cds-training.jar"));
        Path event = Files.copy(image.resolve("training-event.properties"), cds.resolve("training-event.properties"));
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

    /** javax.tools does not expand {@code dir/*} (only the launchers do). */
    private static String jarsIn(Path dir) throws IOException {
        try (Stream<Path> jars = Files.list(dir)) {
            return jars.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
        }
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

    /** javac + jar, like the Dockerfile's training-build stage. */
    private static void compileTrainingJar(Path source, String classPath, Path jar) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("the tests run on a JRE; a JDK is needed to compile " + source);
        }
        Path classes = Files.createTempDirectory(jar.getParent().getParent(), "cds-build");
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int rc = javac.run(null, messages, messages, "--release", "17", "-d", classes.toString(), "-cp", classPath,
                source.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac " + source + " failed:\n" + messages.toString(StandardCharsets.UTF_8));
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }
}
