package dev.datasync.shared.delivery;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.testing.TempDirs;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Issue 9: a pinned call connects to the approved address, yet TLS still checks the NAME: the server's certificate
 * is for {@code pinned.test}, the call to {@code https://pinned.test} at 127.0.0.2 succeeds (SNI and Host name it),
 * and the same address under another name is refused by certificate verification. The certificate is made with the
 * JDK's keytool for this test.
 */
public class PinnedTlsTest {

    private static final String PASSWORD = "changeit";
    private static Path dir;
    private static HttpsServer server;
    private static SSLContext trusting;
    private static final AtomicReference<String> host = new AtomicReference<>();

    @BeforeClass
    public static void start() throws Exception {
        dir = Files.createTempDirectory("pinned-tls");
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=pinned.test", "-ext", "SAN=dns:pinned.test", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertEquals("keytool", 0, keytool.waitFor());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterClass
    public static void stop() {
        server.stop(0);
        TempDirs.deleteQuietly(dir);
    }

    private static AttemptResult call(String name) throws Exception {
        try (TargetCaller caller = new TargetCaller(Duration.ofSeconds(2), Clock.systemUTC(), trusting)) {
            DeliveryRequest r = new DeliveryRequest("tls-1", URI.create("https://" + name + ":"
                    + server.getAddress().getPort() + "/x"), "POST", "{}".getBytes(), List.of(), null, null);
            return caller.call(r, null, null, List.of(InetAddress.getByName("127.0.0.2")), Duration.ofSeconds(5));
        }
    }

    @Test
    public void theApprovedAddressIsCalledAndTheCertificateIsCheckedForTheName() throws Exception {
        AttemptResult ok = call("pinned.test");
        assertTrue(String.valueOf(ok), ok instanceof AttemptResult.Answered a && a.status() == 204);
        assertEquals("pinned.test:" + server.getAddress().getPort(), host.get());

        AttemptResult other = call("other.test");
        assertTrue(String.valueOf(other), other instanceof AttemptResult.NotAnswered n
                && n.failure().kind() == FailureKind.NETWORK);
    }
}
