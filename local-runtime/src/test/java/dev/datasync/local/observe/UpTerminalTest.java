package dev.datasync.local.observe;

import dev.datasync.local.StackProbe;
import dev.datasync.local.SyncClient;
import dev.datasync.local.UpProcess;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.shared.contract.SourceHeaders;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * {@code ./datasync up} as a child process: its terminal shows short human lines (the ready line, then counts per
 * interval) and no JSON, while every JSON line goes to {@code <data dir>/logs/datasync.log}; with {@code --verbose}
 * the JSON lines stream to the terminal as well.
 */
public class UpTerminalTest {

    private static final Pattern COUNT = Pattern.compile("(accepted|delivered) (\\d+)");
    private static SampleTarget target;

    @BeforeClass
    public static void startTarget() throws Exception {
        target = SampleTarget.start(0);
    }

    @AfterClass
    public static void stopTarget() {
        if (target != null) {
            target.close();
        }
    }

    /** Starts {@code up ARGS}, sends three messages to the target, waits until the log file has them delivered. */
    private static UpProcess upAndSendThree(String name, String... args) throws Exception {
        Path dataDir = Files.createTempDirectory("datasync-up-terminal").resolve("data");
        String[] command = new String[args.length + 1];
        command[0] = "up";
        System.arraycopy(args, 0, command, 1, args.length);
        UpProcess up = UpProcess.launch(dataDir, name, Map.of("DATASYNC_REDRIVE", "false"), List.of(), null, command);
        String gateway = up.awaitReady();
        String credential = Files.readString(dataDir.resolve("source-token")).trim();
        SyncClient client = new SyncClient(Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = client.sync(gateway, StackProbe.body("k" + i, "terminal-token",
                    target.baseUrl() + "/orders/ok"), SourceHeaders.SOURCE_TOKEN, "Bearer " + credential,
                    "Authorization", "Bearer t0k3n");
            assertEquals(r.body(), 202, r.statusCode());
        }
        Path log = dataDir.resolve("logs/datasync.log");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(log) || count(Files.readString(log), "\"event\":\"delivery.delivered\"") < 3) {
            assertTrue("three deliveries in " + log, System.currentTimeMillis() < deadline);
            Thread.sleep(100);
        }
        return up;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** The sum of "accepted N" / "delivered N" over the terminal's lines. */
    private static int total(List<String> lines, String what) {
        int sum = 0;
        for (String l : lines) {
            Matcher m = COUNT.matcher(l);
            while (m.find()) {
                if (m.group(1).equals(what)) {
                    sum += Integer.parseInt(m.group(2));
                }
            }
        }
        return sum;
    }

    @Test
    public void theTerminalGetsShortLinesAndTheLogFileEveryJsonLine() throws Exception {
        UpProcess up = upAndSendThree("short");
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (total(up.out(), "delivered") < 3) {
                assertTrue("the counts reach the terminal: " + up.out(), System.currentTimeMillis() < deadline);
                Thread.sleep(200);
            }
            System.out.println("the terminal of up:\n" + String.join("\n", up.out()));
            assertEquals(up.out().toString(), 3, total(up.out(), "accepted"));
            assertTrue(up.out().get(0), up.out().get(0).startsWith("datasync up: gateway "));
            assertTrue(up.out().get(0), up.out().get(0).contains("logs/datasync.log"));
            for (String line : up.out().subList(1, up.out().size())) {
                assertFalse(line, line.startsWith("{"));
                assertTrue(line, line.length() < 160);
            }
            // three messages: a few short lines, where the JSON log has six or more per message
            assertTrue(up.out().toString(), up.out().size() <= 4);
        } finally {
            up.stop();
        }
        String stderr = Files.readString(up.err());
        assertFalse(stderr, stderr.contains("\"event\""));
        String log = Files.readString(up.err().getParent().resolve(up.err().getFileName().toString()
                .replace("-short.log", "")).resolve("logs/datasync.log"));
        assertEquals(3, count(log, "\"event\":\"sync.accepted\""));
        assertTrue(log.contains("\"event\":\"stack_ready\""));
        assertTrue(log.contains("\"event\":\"stack_stopped\""));
    }

    @Test
    public void verboseStreamsTheJsonLinesToTheTerminalToo() throws Exception {
        UpProcess up = upAndSendThree("verbose", "--verbose");
        up.stop();
        String stderr = Files.readString(up.err());
        assertEquals(3, count(stderr, "\"event\":\"sync.accepted\""));
        assertEquals(3, count(stderr, "\"event\":\"delivery.delivered\""));
        assertTrue(stderr.contains("\"event\":\"stack_ready\""));
        assertTrue(up.out().toString(), up.out().stream().noneMatch(l -> COUNT.matcher(l).find()));
    }
}
