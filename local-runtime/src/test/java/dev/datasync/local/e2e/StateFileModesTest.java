package dev.datasync.local.e2e;

import dev.datasync.local.StackProbe;
import dev.datasync.local.Tricklers;
import dev.datasync.local.UpProcess;
import dev.datasync.local.demo.DemoScenario;
import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.After;
import org.junit.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * {@code ./datasync up} (and {@code sources add}) as child processes under {@code umask 000}, which would make every
 * file created without an explicit mode world-writable: every file of the data dir is 0600 and every directory
 * 0700, after the stack has written all it writes (stack.json, stack.lock, app-config.json, tokens, the identity
 * provider's files, local-oci's files, connector positions, a notification outbox). The same process runs with a
 * request time limit of 3 s, so a trickling connection is seen cut off.
 */
public class StateFileModesTest {

    private final List<UpProcess> processes = new ArrayList<>();

    @After
    public void stop() throws InterruptedException {
        for (UpProcess p : processes) {
            p.stop();
        }
    }

    private static Map<String, String> modes(Path dataDir) throws Exception {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                if (!Files.isSymbolicLink(p)) {
                    modes.put(dataDir.relativize(p).toString(), PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(p)));
                }
            }
        }
        return modes;
    }

    @Test
    public void underUmask000EveryStateFileIsOwnerOnly() throws Exception {
        Path dataDir = Files.createTempDirectory("datasync-umask").resolve("data");
        UpProcess up = UpProcess.launch(dataDir, "up", Map.of("DATASYNC_NOTIFICATION_INTERVAL_SEC", "1",
                        "DATASYNC_ARCHIVE_ROLLOVER_TIME_IN_MS", "300"),
                List.of("-Dsun.net.httpserver.maxReqTime=3"), "000");
        processes.add(up);
        String gateway = up.awaitReady();
        Path status = Path.of("/proc", Long.toString(up.process().pid()), "status");
        if (Files.exists(status)) { // Linux: the stack really runs under umask 000
            assertTrue(Files.readAllLines(status).contains("Umask:\t0000"));
        }

        // a message to a port nothing listens on: routed to an error stream, so the connectors write positions,
        // the archive connector an object and the notification connector its outbox
        String credential = SourceTokenFile.read(dataDir).orElseThrow();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway
                        + "/stream/sync")).header("Content-Type", "application/json")
                .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + credential).header("Authorization", "Bearer t")
                .POST(HttpRequest.BodyPublishers.ofString(StackProbe.body("modes", "modes-secret",
                        "http://127.0.0.1:" + DemoScenario.unusedPort() + "/orders"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 202, r.statusCode());

        UpProcess add = UpProcess.launch(dataDir, "sources-add", Map.of(), List.of(), "000", "sources", "add",
                "extra-app");
        assertTrue(add.process().waitFor(90, TimeUnit.SECONDS));
        assertEquals("see " + add.err(), 0, add.process().exitValue());

        // the request time limit: a connection trickling its headers is closed after ~3 s (the JDK checks each s)
        try (Tricklers slow = Tricklers.headers(URI.create(gateway).getPort(), 1)) {
            long until = System.currentTimeMillis() + 15_000;
            while (slow.open() > 0 && System.currentTimeMillis() < until) {
                Thread.sleep(250);
            }
            assertEquals("the trickling connection was cut off", 0, slow.open());
        }

        Path outbox = dataDir.resolve("oci/outbox/datasync-error-notifications.jsonl");
        long until = System.currentTimeMillis() + 30_000;
        while (!Files.exists(outbox) && System.currentTimeMillis() < until) {
            Thread.sleep(200);
        }
        assertTrue("the notification outbox was written", Files.exists(outbox));

        Map<String, String> modes = modes(dataDir);
        for (String expected : List.of("", "stack.json", "stack.lock", "app-config.json", "admin-token",
                "source-token", "cli.log", "identity", "identity/signing-key.json", "identity/sources.json",
                "oci/resources.json", "oci/admin-secret", "oci/local-oci.lock", "oci/config", "connectors",
                "oci/outbox/datasync-error-notifications.jsonl")) {
            assertTrue(expected + " in " + modes.keySet(), modes.containsKey(expected));
        }
        modes.forEach((path, mode) -> {
            boolean dir = Files.isDirectory(dataDir.resolve(path));
            assertEquals(path.isEmpty() ? "the data dir" : path, dir ? "rwx------" : "rw-------", mode);
        });
    }
}
