package dev.datasync.shared.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import com.oracle.bmc.streaming.StreamClient;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import org.junit.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The SLF4J binding of the function images: their class path (this module's runtime dependencies, which every
 * function's image copies to /function/app, plus the FDK runtime) holds exactly one, slf4j-nop, for an SLF4J 2 API;
 * and a JVM on that class path that logs through SLF4J as the OCI SDK does and builds an SDK client prints nothing
 * on stderr but our JSON lines (no "SLF4J: Failed to load class" or "No SLF4J providers" lines).
 */
public class FunctionImageLoggingTest {

    private static final String PROVIDER = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    private static final String OLD_BINDER = "org/slf4j/impl/StaticLoggerBinder.class";

    private static List<String> imageClassPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String file : List.of("image-app-classpath.txt", "image-runtime-classpath.txt")) {
            String text = Files.readString(Path.of("target", file)).trim();
            if (!text.isEmpty()) {
                entries.addAll(List.of(text.split(File.pathSeparator)));
            }
        }
        return entries;
    }

    @Test
    public void theImageClassPathHasExactlyOneSlf4jBindingSlf4jNop() throws Exception {
        List<String> bindings = new ArrayList<>();
        String api = null;
        for (String entry : imageClassPath()) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("slf4j-api-")) {
                api = name;
            }
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                if (jar.getEntry(PROVIDER) != null || jar.getEntry(OLD_BINDER) != null) {
                    bindings.add(name);
                }
            }
        }
        assertEquals(bindings.toString(), 1, bindings.size());
        assertTrue(bindings.get(0), bindings.get(0).startsWith("slf4j-nop-2."));
        assertTrue("an SLF4J 2 API, which finds providers by ServiceLoader: " + api,
                api != null && api.startsWith("slf4j-api-2."));
    }

    @Test
    public void aJvmOnTheImageClassPathPrintsOnlyJsonLinesOnStderr() throws Exception {
        List<String> cp = new ArrayList<>(imageClassPath());
        cp.add(Path.of("target", "classes").toAbsolutePath().toString());
        cp.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, cp), Probe.class.getName()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the probe ended", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(err + new String(out, StandardCharsets.UTF_8), 0, p.exitValue());
        List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
        assertFalse("the probe's own JSON line is there: " + err, lines.isEmpty());
        for (String line : lines) {
            assertFalse(line, line.startsWith("SLF4J"));
            JsonNode n = Json.mapper().readTree(line);
            assertTrue("not a JSON line: " + line, n != null && n.isObject());
        }
    }

    /** What a function container does: the SDK's SLF4J loggers, an SDK client, our JSON log. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            org.slf4j.LoggerFactory.getLogger("com.oracle.bmc.http.internal.RestClient").warn("sdk chatter");
            java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            byte[] pem = ("-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'})
                    .encodeToString(rsa.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n")
                    .getBytes(StandardCharsets.US_ASCII);
            SimpleAuthenticationDetailsProvider auth = SimpleAuthenticationDetailsProvider.builder()
                    .tenantId("ocid1.tenancy.oc1..aaaa").userId("ocid1.user.oc1..aaaa").fingerprint("00:00")
                    .privateKeySupplier(() -> new java.io.ByteArrayInputStream(pem)).region(
                            com.oracle.bmc.Region.US_ASHBURN_1).build();
            try (StreamClient client = StreamClient.builder().endpoint("http://127.0.0.1:9").build(auth)) {
                client.getEndpoint();
            }
            JsonLog.stderr().component("probe").info("probe.done").write();
        }
    }
}
