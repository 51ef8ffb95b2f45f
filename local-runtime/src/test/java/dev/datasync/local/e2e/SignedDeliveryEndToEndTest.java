package dev.datasync.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import dev.datasync.local.RunningStack;
import dev.datasync.local.StackProbe;
import dev.datasync.local.stack.PipelineStack;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Signed deliveries end to end: a source added with {@code --sign} through the CLI, a sync request through the local
 * gateway, the real functions and local-oci's Vault, a real target on loopback that checks each delivery with the
 * independent Standard Webhooks verifier ({@code com.standardwebhooks:standardwebhooks}) — before a rotation, during
 * its overlap (both signatures, each verifying with its own secret) and after it (the new secret alone). A source
 * without signing gets no webhook headers, and a signed source's own {@code webhook-signature} header is never sent.
 * The overlap is short here ({@code DATASYNC_SIGNING_ROTATION_OVERLAP=20s}), so the functions re-read the secret
 * every 5 s.
 */
public class SignedDeliveryEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningStack running;
    private static PipelineStack stack;
    private static StackProbe probe;
    private static HttpServer receiver;
    private static final List<Arrived> ARRIVED = new CopyOnWriteArrayList<>();

    /** One delivery as the receiver saw it: its path, body and webhook-* headers (lower-case names). */
    private record Arrived(String path, String body, Map<String, List<String>> webhook) {
        String header(String name) {
            List<String> v = webhook.get(name);
            return v == null ? null : v.get(0);
        }

        int signatures() {
            return header("webhook-signature").split(" ").length;
        }

        /** Whether the independent verifier accepts the delivery with {@code secret}. */
        boolean verifiesWith(String secret) {
            try {
                new Webhook(secret).verify(body, webhook);
                return true;
            } catch (WebhookVerificationException e) {
                return false;
            }
        }
    }

    @BeforeClass
    public static void start() throws Exception {
        running = RunningStack.start(Map.of("DATASYNC_SIGNING_ROTATION_OVERLAP", "20s"), settings -> settings);
        stack = running.stack();
        probe = new StackProbe(stack);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        receiver.createContext("/", ex -> {
            try (ex) {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Map<String, List<String>> webhook = new TreeMap<>();
                ex.getRequestHeaders().forEach((name, values) -> {
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("webhook-")) {
                        webhook.put(lower, List.copyOf(values));
                    }
                });
                ARRIVED.add(new Arrived(ex.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8),
                        webhook));
                ex.sendResponseHeaders(204, -1);
            }
        });
        receiver.start();
    }

    @AfterClass
    public static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    /** Sends one message as {@code credential} to {@code path}; its syncId. */
    private static String send(String credential, String key, String path, String extraHeader) throws Exception {
        String headers = extraHeader == null ? "[]" : "[{\"key\":\"webhook-signature\",\"value\":\"" + extraHeader
                + "\"}]";
        String body = "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"targetRestApi\":\"" + url(path)
                + "\",\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"order\":\"" + key
                + "\",\"note\":\"caf\\u00e9 \\u2713\"},\"targetRestApiHeaders\":" + headers + "}}";
        HttpResponse<String> r = probe.sync(body, dev.datasync.shared.contract.SourceHeaders.SOURCE_TOKEN,
                "Bearer " + credential);
        assertEquals(r.body(), 202, r.statusCode());
        return JSON.readTree(r.body()).get("syncId").asText();
    }

    private static Arrived await(String path) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            for (Arrived a : ARRIVED) {
                if (a.path().equals(path)) {
                    return a;
                }
            }
            Thread.sleep(50);
        }
        fail("nothing delivered to " + path);
        return null;
    }

    @Test
    public void signedDeliveriesVerifyBeforeDuringAndAfterARotation() throws Exception {
        JsonNode added = JSON.readTree(probe.cli("sources", "add", "signer", "--sign", "--json"));
        String credential = added.get("credential").asText();
        String first = added.get("signingSecret").asText();
        assertTrue(added.get("signing").asBoolean());
        assertTrue(first.startsWith("whsec_"));
        Thread.sleep(1_200); // the running gateway's view of sources.json catches up

        String syncId = send(credential, "k1", "/signed/before", "v1,forged");
        Arrived before = await("/signed/before");
        assertEquals("webhook-id is the syncId", syncId, before.header("webhook-id"));
        assertEquals(1, before.signatures());
        assertFalse("the message's own webhook-signature is never sent", before.webhook().get("webhook-signature")
                .stream().anyMatch(v -> v.contains("forged")));
        assertTrue("the independent verifier accepts it", before.verifiesWith(first));
        assertFalse(before.verifiesWith("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32])));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(before.header("webhook-timestamp")))
                < 300);

        JsonNode rotated = JSON.readTree(probe.cli("sources", "sign", "signer", "--json"));
        String second = rotated.get("signingSecret").asText();
        assertNotEquals(first, second);
        Instant overlapEnds = Instant.parse(rotated.get("previousSignedUntil").asText());
        assertTrue("the overlap is the stack's signing_rotation_overlap (20 s): " + overlapEnds,
                overlapEnds.isBefore(Instant.now().plusSeconds(21)));

        // within the overlap (the functions re-read the secret every 5 s): both signatures, each verifies
        Arrived during = null;
        for (int i = 0; i < 40 && during == null && Instant.now().isBefore(overlapEnds.minusSeconds(2)); i++) {
            send(credential, "k2-" + i, "/signed/during/" + i, null);
            Arrived a = await("/signed/during/" + i);
            if (a.signatures() == 2) {
                during = a;
            }
            Thread.sleep(300);
        }
        assertTrue("a delivery in the overlap carries both signatures", during != null);
        assertTrue("a receiver still on the previous secret verifies it", during.verifiesWith(first));
        assertTrue("a receiver already on the new secret verifies it", during.verifiesWith(second));

        // after the overlap (and the functions' next read of the secret): the new secret alone
        long wait = overlapEnds.toEpochMilli() + 6_000 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        send(credential, "k3", "/signed/after", null);
        Arrived after = await("/signed/after");
        assertEquals(1, after.signatures());
        assertTrue(after.verifiesWith(second));
        assertFalse("the previous secret no longer signs", after.verifiesWith(first));
    }

    @Test
    public void aSourceWithoutSigningGetsNoWebhookHeaders() throws Exception {
        String credential = probe.addSource("plain");
        Thread.sleep(1_200);
        send(credential, "p1", "/plain/one", "v1,own-value");
        Arrived plain = await("/plain/one");
        assertNull(plain.header("webhook-id"));
        assertNull(plain.header("webhook-timestamp"));
        assertEquals("an unsigned source's own header goes as it is", "v1,own-value",
                plain.header("webhook-signature"));
    }
}
