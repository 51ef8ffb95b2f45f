package dev.datasync.local.cli;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * Each misconfiguration is exit 2 with one line on stderr naming the environment variable and its value: a port in
 * use or not a port, a data dir that cannot be one, and a data dir with no stack for the commands that read a
 * stack (which must not start a fresh, empty emulator there).
 */
public class CliSetupErrorsTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private record Result(int status, String out, String err) {
        /** Everything on stderr: the stack's JSON log lines go to its log file, not here. */
        List<String> errorLines() {
            return err.lines().toList();
        }
    }

    private static Result run(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCli.execute(List.of(argv), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("DATASYNC_DATA_DIR", tmp.getRoot().toPath().resolve("data").toString());
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static void assertOneLine(Result r, String expectedStart) {
        assertEquals(r.err(), 2, r.status());
        assertEquals(r.err(), 1, r.errorLines().size());
        assertTrue(r.err(), r.errorLines().get(0).startsWith("datasync: " + expectedStart));
        assertFalse("no stack trace: " + r.err(), r.err().contains("\tat "));
    }

    @Test
    public void aPortThatIsNotANumber() {
        Result r = run(env("DATASYNC_PORT", "abc"), "up");
        assertOneLine(r, "DATASYNC_PORT=abc: not a port number");
        assertFalse("nothing started", Files.exists(tmp.getRoot().toPath().resolve("data")));
        assertOneLine(run(env("DATASYNC_OCI_PORT", "70000"), "up"), "DATASYNC_OCI_PORT=70000: not a port number");
        assertOneLine(run(env("DATASYNC_PORT", "abc"), "demo"), "DATASYNC_PORT=abc: not a port number");
    }

    @Test
    public void aGatewayPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Result r = run(env("DATASYNC_PORT", Integer.toString(port)), "up");
            assertOneLine(r, "DATASYNC_PORT=" + port + ": port " + port + " is in use");
            assertFalse("no emulator was started", Files.exists(tmp.getRoot().toPath().resolve("data/oci")));
        }
    }

    /** As ./datasync runs it, a process of its own: stderr is that one line and nothing else, stdout is empty. */
    @Test
    public void aPortInUseIsOneLineOnTheTerminalOfARealProcess() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Path dataDir = tmp.newFolder("process").toPath();
            dev.datasync.local.UpProcess up = dev.datasync.local.UpProcess.launch(dataDir, "port-in-use",
                    Map.of("DATASYNC_PORT", "0", "DATASYNC_OCI_PORT", Integer.toString(port)), List.of(), null);
            assertTrue("it exits", up.process().waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(2, up.process().exitValue());
            up.ready().get(10, java.util.concurrent.TimeUnit.SECONDS); // stdout fully read
            assertEquals("stdout: " + up.out(), List.of(), up.out());
            assertEquals(List.of("datasync: DATASYNC_OCI_PORT=" + port + ": port " + port + " is in use on 127.0.0.1 "
                    + "(set another port, or 0 for any free one)"), Files.readAllLines(up.err()));
        }
    }

    @Test
    public void anOciPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Result r = run(env("DATASYNC_PORT", "0", "DATASYNC_OCI_PORT", Integer.toString(port)), "up");
            assertOneLine(r, "DATASYNC_OCI_PORT=" + port + ": port " + port + " is in use");
            assertFalse("the stack did not stay up", Files.exists(tmp.getRoot().toPath().resolve("data/stack.json")));
        }
    }

    @Test
    public void aDataDirThatCannotBeOne() throws Exception {
        Path file = tmp.newFile("a-file").toPath();
        for (String[] argv : List.of(new String[]{"up"}, new String[]{"sources", "list"}, new String[]{"streams"})) {
            Result r = run(Map.of("DATASYNC_DATA_DIR", file.toString(), "DATASYNC_PORT", "0"), argv);
            assertEquals(String.join(" ", argv) + ": " + r.err(), 2, r.status());
            assertEquals(r.err(), 1, r.errorLines().size());
            assertTrue(r.err(), r.errorLines().get(0).startsWith("datasync: DATASYNC_DATA_DIR=" + file + ": "));
        }
        Path under = file.resolve("sub");
        Result r = run(Map.of("DATASYNC_DATA_DIR", under.toString(), "DATASYNC_PORT", "0"), "up");
        assertOneLine(r, "DATASYNC_DATA_DIR=" + under + ": not a usable directory");
    }

    @Test
    public void aDataDirWithNoStackIsAnErrorForTheCommandsThatReadOne() throws Exception {
        Path missing = tmp.getRoot().toPath().resolve("mistyped");
        Path empty = tmp.newFolder("empty").toPath();
        for (Path dir : List.of(missing, empty)) {
            for (String[] argv : List.of(new String[]{"streams"}, new String[]{"messages", "DataSyncStream"},
                    new String[]{"retry", "DefaultErrorStream"}, new String[]{"trace", "some-sync-id"},
                    new String[]{"status"})) {
                Result r = run(Map.of("DATASYNC_DATA_DIR", dir.toString()), argv);
                assertOneLine(r, "DATASYNC_DATA_DIR=" + dir + ": ");
                assertTrue(r.err(), r.err().contains("./datasync up"));
            }
        }
        assertFalse("nothing was created in a mistyped data dir", Files.exists(missing));
        try (var files = Files.list(empty)) {
            assertEquals("no emulator was opened in an empty one", 0, files.count());
        }
    }
}
