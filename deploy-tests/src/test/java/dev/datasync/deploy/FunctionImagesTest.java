package dev.datasync.deploy;

import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
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
            "retry-fn", "dev.datasync.retry.RetryFunction::handleRequest");
    private static final String CLASS_PATH = "/function/app/*:/function/runtime/*:/function/cds/cds-training.jar";

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
            assertTrue(df.contains("RUN sh /function/cds/build-cds.sh \"" + fn.getValue() + "\""));
            assertTrue(df.contains("ENV OCI_JAVASDK_JERSEY_CLIENT_DEFAULT_CONNECTOR_ENABLED=true"));
            Matcher entry = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(df);
            assertTrue(entry.find());
            String e = entry.group(1);
            for (String flag : List.of("\"-XX:SharedArchiveFile=/function/cds/app.jsa\"", "\"-Xshare:auto\"",
                    "\"-XX:TieredStopAtLevel=1\"", "\"-cp\", \"" + CLASS_PATH + "\"", "\"com.fnproject.fn.runtime.EntryPoint\"")) {
                assertTrue(fn.getKey() + " ENTRYPOINT lacks " + flag, e.contains(flag));
            }
            String script = read(RepoPaths.root().resolve(fn.getKey()).resolve("image/build-cds.sh"));
            assertTrue("training/dump class path must equal the ENTRYPOINT's", script.contains("cp=\"" + CLASS_PATH + "\""));
            assertTrue(read(RepoPaths.root().resolve(fn.getKey()).resolve("image/training-event.properties"))
                    .contains("config.stream_messages_endpoint=${stub}"));
        }
    }

    @Test
    public void theTrainingCodeIsTheSameInEveryImage() throws Exception {
        Path first = RepoPaths.root().resolve("populate-data-stream-fn/image");
        for (String fn : COMMANDS.keySet()) {
            for (String f : List.of("CdsTraining.java", "build-cds.sh")) {
                assertEquals(fn + "/image/" + f + " drifted from populate-data-stream-fn's copy",
                        read(first.resolve(f)), read(RepoPaths.root().resolve(fn).resolve("image").resolve(f)));
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
