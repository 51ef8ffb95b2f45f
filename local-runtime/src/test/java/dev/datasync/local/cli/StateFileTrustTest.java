package dev.datasync.local.cli;

import com.sun.net.httpserver.HttpServer;
import dev.datasync.local.stack.StackInfo;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/**
 * The hostile finding "file modes": the CLI sent the admin token to whatever gateway stack.json named. It now
 * refuses a stack.json or admin-token that others could write, and a stack.json naming a URL off loopback — before
 * sending anything anywhere.
 */
public class StateFileTrustTest {

    private static final ProcessHandle SELF = ProcessHandle.current();
    private HttpServer gateway;
    private final AtomicInteger calls = new AtomicInteger();
    private Path dataDir;

    @Before
    public void start() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        gateway.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        gateway.start();
        dataDir = Files.createTempDirectory("trust");
        Files.writeString(dataDir.resolve("admin-token"), "the-admin-token\n");
        Files.setPosixFilePermissions(dataDir.resolve("admin-token"), PosixFilePermissions.fromString("rw-------"));
    }

    @After
    public void stop() {
        gateway.stop(0);
    }

    private void stackJson(String gatewayUrl, String ociUrl) throws Exception {
        new StackInfo(gatewayUrl, ociUrl, dataDir.resolve("oci/config"), "DEFAULT", SELF.pid(),
                SELF.info().startInstant().orElseThrow()).write(dataDir);
    }

    private String[] cli(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DataSyncCli.execute(List.of(argv), Map.of("DATASYNC_DATA_DIR", dataDir.toString()),
                new PrintStream(out, true), new PrintStream(err, true));
        return new String[]{Integer.toString(status), err.toString(StandardCharsets.UTF_8)};
    }

    private String local() {
        return "http://127.0.0.1:" + gateway.getAddress().getPort();
    }

    @Test
    public void aStackJsonOthersCanWriteIsRefusedAndNothingIsSent() throws Exception {
        stackJson(local(), local());
        assertEquals("written owner-only", "rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(StackInfo.file(dataDir))));
        Files.setPosixFilePermissions(StackInfo.file(dataDir), PosixFilePermissions.fromString("rw-rw-rw-"));
        for (String[] argv : List.of(new String[]{"retry", "DefaultErrorStream"}, new String[]{"streams"},
                new String[]{"up"})) {
            String[] r = cli(argv);
            assertEquals(r[1], "2", r[0]);
            assertTrue(r[1], r[1].contains("stack.json is writable by other users"));
            assertFalse("the token is never shown", r[1].contains("the-admin-token"));
        }
        assertEquals("nothing was sent to the gateway it names", 0, calls.get());
        assertFalse("up started nothing", Files.exists(dataDir.resolve("oci")));
    }

    @Test
    public void aStackJsonNamingAGatewayOffLoopbackIsRefused() throws Exception {
        for (String[] urls : new String[][]{{"http://192.0.2.10:8080", local()}, {local(), "http://example.com:80"},
                {"https://127.0.0.1:8443", local()}}) {
            stackJson(urls[0], urls[1]);
            String[] r = cli("retry", "DefaultErrorStream");
            assertEquals(r[1], "2", r[0]);
            assertTrue(r[1], r[1].contains("which is not an http URL on a loopback address"));
        }
        assertEquals(0, calls.get());
    }

    @Test
    public void anAdminTokenOthersCanWriteIsRefused() throws Exception {
        stackJson(local(), local());
        Files.setPosixFilePermissions(dataDir.resolve("admin-token"), PosixFilePermissions.fromString("rw-rw-rw-"));
        String[] r = cli("retry", "DefaultErrorStream");
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("admin-token is writable by other users"));
        assertFalse(r[1].contains("the-admin-token"));
        assertEquals(0, calls.get());
    }
}
