package dev.datasync.deploy;

import dev.datasync.shared.image.CdsArchiveBuild;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The function images as `fn deploy` builds them (no container engine here, so the files are checked):
 * the FDK base image, the jars in the FDK layout, the command of each function, the cold-start flags, and
 * one class path for the AppCDS training, dump and run (the archive is only mapped if they match).
 */
public class FunctionImagesTest {

    private static final Map<String, String> COMMANDS = Map.of(
            "populate-data-stream-fn", "dev.datasync.populate.PopulateDataStreamFunction::handleRequest",
            "read-data-stream-fn", "dev.datasync.read.ReadDataStreamFunction::handleRequest",
            "retry-fn", "dev.datasync.retry.RetryFunction::handleRequest",
            "bulk-ingest-fn", "dev.datasync.ingest.BulkIngestFunction::handleRequest");
    private static final String CLASS_PATH = CdsArchiveBuild.IMAGE_CLASS_PATH;

    private static String read(Path p) throws Exception {
        assertTrue(p + " missing", Files.isRegularFile(p));
        return Files.readString(p);
    }

    @Test
    public void eachFunctionImageIsBuiltFromTheFdkRunImageWithItsOwnCommandAndFastStartFlags() throws Exception {
        for (Map.Entry<String, String> fn : COMMANDS.entrySet()) {
            String df = read(RepoPaths.root().resolve(fn.getKey()).resolve("Dockerfile"));
            List<String> froms = Pattern.compile("(?m)^FROM (\\S+)").matcher(df).results().map(m -> m.group(1)).toList();
            assertEquals(fn.getKey() + " run image", "fnproject/fn-java-fdk:jre17-1.0.212", froms.get(froms.size() - 1));
            assertTrue(df.contains("COPY target/dependency/*.jar target/" + fn.getKey() + "-*.jar /function/app/"));
            assertTrue(fn.getKey(), df.contains("CMD [\"" + fn.getValue() + "\"]"));
            // the shared training + dump from shared-model's jar (in /function/app), on the ENTRYPOINT's class path
            assertTrue(fn.getKey() + " must build its archive with the shared CdsArchiveBuild", df.contains(
                    "RUN java -cp \"" + CLASS_PATH + "\" " + CdsArchiveBuild.class.getName() + " \\\n    \""
                            + fn.getValue() + "\" /function/cds/training-event.properties /function/cds/app.jsa"));
            assertTrue(df.contains("COPY image/training-event.properties /function/cds/"));
            assertTrue(df.contains("ENV OCI_JAVASDK_JERSEY_CLIENT_DEFAULT_CONNECTOR_ENABLED=true"));
            Matcher entry = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(df);
            assertTrue(entry.find());
            String e = entry.group(1);
            for (String flag : List.of("\"-XX:SharedArchiveFile=/function/cds/app.jsa\"", "\"-Xshare:auto\"",
                    "\"-XX:TieredStopAtLevel=1\"", "\"-cp\", \"" + CLASS_PATH + "\"", "\"com.fnproject.fn.runtime.EntryPoint\"")) {
                assertTrue(fn.getKey() + " ENTRYPOINT lacks " + flag, e.contains(flag));
            }
            assertTrue(read(RepoPaths.root().resolve(fn.getKey()).resolve("image/training-event.properties"))
                    .contains("config.stream_messages_endpoint=${stub}"));
        }
    }

    /** The training code exists once, in shared-model; a function folder holds only its training event. */
    @Test
    public void noFunctionFolderHoldsACopyOfTheTrainingCode() throws Exception {
        for (String fn : COMMANDS.keySet()) {
            Path image = RepoPaths.root().resolve(fn).resolve("image");
            try (Stream<Path> files = Files.list(image)) {
                assertEquals(fn + "/image must hold only the function's training event",
                        List.of("training-event.properties"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            String df = read(RepoPaths.root().resolve(fn).resolve("Dockerfile"));
            for (String gone : List.of("javac", ".java", "build-cds.sh", "cds-training.jar")) {
                assertFalse(fn + " Dockerfile must not build training code of its own (" + gone + ")", df.contains(gone));
            }
        }
    }

    @Test
    public void funcYamlDeclaresNameMemoryTimeoutAndTheDockerRuntime() throws Exception {
        for (String fn : COMMANDS.keySet()) {
            // fn deploy needs it in every function folder: a missing file is a failure, not a skip
            String y = read(RepoPaths.root().resolve(fn).resolve("func.yaml"));
            assertTrue(fn, y.contains("schema_version: 20180708"));
            // every function folder has a Dockerfile, which the CLI uses anyway; runtime: docker says so
            // instead of pretending a java runtime builds the image (reference 10.4)
            assertTrue(fn + " Dockerfile missing", Files.isRegularFile(RepoPaths.root().resolve(fn).resolve("Dockerfile")));
            assertTrue(fn + " func.yaml must say runtime: docker",
                    Pattern.compile("(?m)^runtime: docker\\s*$").matcher(y).find());
            assertTrue(fn, Pattern.compile("(?m)^name: " + Pattern.quote(fn) + "\\s*$").matcher(y).find());
            Matcher memory = Pattern.compile("(?m)^memory: (\\d+)").matcher(y);
            assertTrue(fn + " func.yaml lacks memory", memory.find());
            assertTrue(fn + " memory must be >= 256 MB", Integer.parseInt(memory.group(1)) >= 256);
            assertTrue(fn + " func.yaml lacks timeout", Pattern.compile("(?m)^timeout: \\d+").matcher(y).find());
        }
    }
}
