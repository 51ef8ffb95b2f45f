package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.demo.SampleTarget;
import org.junit.After;
import org.junit.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * {@code ./datasync up} as a separate process, killed with SIGKILL mid-flow, restarted, stopped with SIGTERM
 * (Ctrl-C's clean path) mid-flow, restarted again: every sync request that was answered 202 is delivered to the
 * target in the end (at-least-once: a redelivered one carries the same Idempotency-Key).
 */
public class StackRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern READY = Pattern.compile("datasync up: gateway (http://\\S+)");

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SampleTarget target;

    @After
    public void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        if (target != null) {
            target.close();
        }
    }

    private record Running(Process process, String gateway) {
    }

    private Running up(Path dataDir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dsun.net.httpserver.nodelay=true", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "dev.datasync.local.cli.DataSyncCli", "up");
        pb.environment().put("DATASYNC_DATA_DIR", dataDir.toString());
        pb.environment().put("DATASYNC_PORT", "0");
        pb.environment().put("DATASYNC_ADMIN_TOKEN", "restart-test-admin");
        pb.redirectError(ProcessBuilder.Redirect.appendTo(dataDir.resolve("stack.log").toFile()));
        Files.createDirectories(dataDir);
        Process p = pb.start();
        processes.add(p);
        BlockingQueue<String> ready = new ArrayBlockingQueue<>(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.offer(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        String gateway = ready.poll(90, TimeUnit.SECONDS);
        assertNotNull("stack did not become ready; see " + dataDir.resolve("stack.log"), gateway);
        return new Running(p, gateway);
    }

    /** Sends sync requests i in [from, to); answers the syncIds accepted (202). */
    private List<String> send(String gateway, int from, int to) throws Exception {
        List<String> accepted = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String body = "{\"streamKey\":\"key-" + (i % 3) + "\",\"streamMessage\":{\"vaultSecretName\":\"restart\","
                    + "\"targetRestApi\":\"" + target.baseUrl() + "/orders/" + i + "\",\"targetRestApiOperation\":"
                    + "\"POST\",\"targetRestApiPayload\":{\"n\":" + i + "},\"targetRestApiHeaders\":[]}}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + "/stream/sync"))
                    .header("Authorization", "Bearer restart-token").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(r.body(), 202, r.statusCode());
            accepted.add(JSON.readTree(r.body()).get("syncId").asText());
        }
        return accepted;
    }

    private void awaitDelivered(int count) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (deliveredKeys().size() < count && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
    }

    private Set<String> deliveredKeys() {
        return target.received().stream().filter(SampleTarget.Received::succeeded)
                .map(SampleTarget.Received::idempotencyKey).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    public void killAndRestartMidFlowLosesNothing() throws Exception {
        target = SampleTarget.start(0);
        target.delay(100);
        Path dataDir = Files.createTempDirectory("datasync-restart");
        List<String> accepted = new ArrayList<>();

        Running first = up(dataDir);
        accepted.addAll(send(first.gateway(), 0, 24));
        awaitDelivered(3);
        first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int deliveredAtKill = deliveredKeys().size();
        System.out.println("after SIGKILL: " + deliveredAtKill + " of " + accepted.size() + " delivered");

        Running second = up(dataDir);
        accepted.addAll(send(second.gateway(), 24, 48));
        awaitDelivered(deliveredKeys().size() + 3);
        second.process().destroy(); // SIGTERM: the clean Ctrl-C path
        assertTrue("clean shutdown within 60 s", second.process().waitFor(60, TimeUnit.SECONDS));
        System.out.println("after SIGTERM: " + deliveredKeys().size() + " of " + accepted.size() + " delivered");

        Running third = up(dataDir);
        long until = System.currentTimeMillis() + 90_000;
        while (!deliveredKeys().containsAll(accepted)) {
            if (System.currentTimeMillis() > until) {
                Set<String> missing = new TreeSet<>(accepted);
                missing.removeAll(deliveredKeys());
                fail(missing.size() + " accepted messages never delivered: " + missing);
            }
            Thread.sleep(100);
        }
        third.process().destroy();
        assertTrue(third.process().waitFor(60, TimeUnit.SECONDS));

        assertTrue("the kill came mid-flow", deliveredAtKill < 24);
        long deliveries = target.received().stream().filter(SampleTarget.Received::succeeded).count();
        System.out.println("48 accepted, " + deliveries + " successful deliveries (duplicates = redelivered batches)");
        for (SampleTarget.Received r : target.received()) {
            assertEquals("Bearer restart-token", r.authorization());
            assertTrue(accepted.contains(r.idempotencyKey()));
        }
    }
}
