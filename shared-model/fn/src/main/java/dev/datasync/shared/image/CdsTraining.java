package dev.datasync.shared.image;

import com.fnproject.fn.api.Headers;
import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.runtime.EntryPoint;
import com.fnproject.fn.runtime.EventCodec;
import com.fnproject.fn.runtime.ReadOnceInputEvent;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.shared.fn.FnHttpGateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * AppCDS training run, executed once while each function image is built (by {@link CdsArchiveBuild}, from the
 * image's class path: this class ships in shared-model's jar, which every image has in /function/app): it hosts
 * the function in the real FDK runtime and sends it ONE representative invocation, so the JVM loads what a real
 * first call loads (FDK, Jackson, the OCI SDK clients and their HTTP stack, the function's own classes). The JVM
 * runs with -XX:DumpLoadedClassList, and CdsArchiveBuild dumps those classes into the archive, so a cold container
 * maps them instead of loading and verifying them again.
 *
 * Every OCI endpoint ({@code ${stub}} in the properties) is a stub on 127.0.0.1 that answers 404
 * NotAuthorizedOrNotFound at once (not retried by the SDK), so the SDK's request and error paths load too and
 * nothing leaves the build. Authentication uses a throw-away API key generated here (the archive only needs
 * the classes, not a login).
 *
 * usage: CdsTraining <Class::method> <training-event.properties>
 * The properties file holds {@code method}, {@code url}, {@code body}, {@code header.<Name>} and
 * {@code config.<key>} entries (the function configuration of the training call).
 *
 * The same program times a cold start (deploy-tests' ColdStartBenchmark runs it in fresh JVMs with an event
 * aimed at local-oci): the stub starts only when the event uses {@code ${stub}}, the throw-away key is made
 * only when the event sets no {@code config.oci_auth}, and {@code cds_training_call} reports the function's
 * HTTP status and the milliseconds from JVM start to the answer.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CdsTraining <Class::method> <training-event.properties>");
        }
        // A wrong CMD must fail the image build, not a production cold start.
        Class.forName(args[0].split("::")[0]);
        Properties event = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            event.load(r);
        }
        // Both only when the event needs them: a timed run must not pay for a server and an RSA key a real
        // cold start does not have.
        boolean stubbed = event.values().stream().anyMatch(v -> v.toString().contains("${stub}"));
        String stubUrl = stubbed ? "http://127.0.0.1:" + notFoundStub().getAddress().getPort() : "";
        Map<String, String> env = new HashMap<>(System.getenv());
        if (!event.containsKey("config.oci_auth")) {
            env.putAll(throwAwayOciConfig());
        }
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Fn-Call-Id", List.of("cds-training"));
        headers.put("Fn-Deadline", List.of(Instant.now().plusSeconds(60).toString()));
        for (String key : event.stringPropertyNames()) {
            if (key.startsWith("config.")) {
                env.put(key.substring("config.".length()), event.getProperty(key).replace("${stub}", stubUrl));
            } else if (key.startsWith("header.")) {
                headers.put(key.substring("header.".length()), List.of(event.getProperty(key)));
            }
        }
        if (event.containsKey("method")) {
            headers.putAll(FnHttpGateway.request(event.getProperty("method"), event.getProperty("url", "/"), Map.of()));
        }
        byte[] body = event.getProperty("body", "").replace("${stub}", stubUrl).getBytes(StandardCharsets.UTF_8);

        EventCodec oneCall = handler -> {
            InputEvent in = new ReadOnceInputEvent(new ByteArrayInputStream(body),
                    Headers.emptyHeaders().setHeaders(headers), "cds-training", Instant.now().plusSeconds(60));
            OutputEvent out = handler.handle(in);
            long answeredAt = System.currentTimeMillis();
            // read after the answer, so the management classes do not count in the cold start
            long sinceJvmStart = answeredAt - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.err.println("{\"event\":\"cds_training_call\",\"status\":\"" + out.getStatus()
                    + "\",\"httpStatus\":\"" + FnHttpGateway.status(out)
                    + "\",\"msSinceJvmStart\":" + sinceJvmStart + "}");
        };
        long start = System.nanoTime();
        int code = new EntryPoint().run(env, oneCall, System.err, args[0]);
        System.err.println("{\"event\":\"cds_training_done\",\"ms\":" + (System.nanoTime() - start) / 1_000_000
                + ",\"exitCode\":" + code + "}");
        // SDK and HTTP client threads must not keep the build step alive; the archive is written at exit.
        System.exit(0);
    }

    private static HttpServer notFoundStub() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] reply = "{\"code\":\"NotAuthorizedOrNotFound\",\"message\":\"cds training stub\"}"
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("opc-request-id", "cds-training");
            exchange.sendResponseHeaders(404, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        });
        server.start();
        return server;
    }

    /** An OCI config file and key that exist only for this run, so the SDK signer classes load too. */
    private static Map<String, String> throwAwayOciConfig() throws IOException, java.security.GeneralSecurityException {
        Path dir = Files.createTempDirectory("cds-oci");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path key = Files.writeString(dir.resolve("key.pem"), pem);
        Path config = Files.writeString(dir.resolve("config"), "[DEFAULT]\n"
                + "user=ocid1.user.oc1..cdstraining\n"
                + "tenancy=ocid1.tenancy.oc1..cdstraining\n"
                + "fingerprint=00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00\n"
                + "region=us-ashburn-1\n"
                + "key_file=" + key + "\n");
        return Map.of("oci_auth", "config_file", "oci_config_file", config.toString(), "oci_config_profile", "DEFAULT");
    }
}
