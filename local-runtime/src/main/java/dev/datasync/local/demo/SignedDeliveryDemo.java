package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.oci.SigningSecretsAdmin;
import dev.datasync.local.oci.SourcePolicyStore;
import dev.datasync.local.stack.AppConfigFile;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.signing.SigningKeyRing;
import dev.datasync.shared.signing.WebhookSigner;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's signed delivery: a source that signs its deliveries ({@code sources add demo-signed --sign} does the
 * same), one sync request as that source, and the sample target's copy of it checked against the secret that was
 * printed once: {@code webhook-id} is the syncId, {@code webhook-signature} the HMAC of id, timestamp and body.
 */
final class SignedDeliveryDemo {

    static final String SOURCE = "demo-signed";
    private static final String PATH = "/orders/signed";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStack stack;
    private final SampleTarget target;
    private final PrintStream out;

    SignedDeliveryDemo(PipelineStack stack, SampleTarget target, PrintStream out) {
        this.stack = stack;
        this.target = target;
        this.out = out;
    }

    /** @return whether the delivery arrived signed and its signature verified */
    boolean run() throws Exception {
        out.println("7. a signed delivery: source " + SOURCE + " added with signing on (its secret in Vault as "
                + SigningKeyRing.secretName(SOURCE) + ", printed once)");
        SigningKeyRing ring = SigningSecretsAdmin.rotate(AppConfigFile.read(stack.dataDir()).orElseThrow(), SOURCE);
        new SourcePolicyStore(stack.clients().objectStorage(), stack.oci().resources().namespace(),
                Topology.STATE_BUCKET).put(new SourcePolicy(SOURCE, List.of(), null, null, true));
        LocalIdentityProvider identity = LocalIdentityProvider.open(stack.dataDir());
        String credential = identity.add(SOURCE, List.of(), LocalIdentityProvider.DEFAULT_RATE_PER_SECOND,
                LocalIdentityProvider.DEFAULT_MAX_SECRETS, true, Duration.ofDays(1)).credential().token();
        String secret = ring.current().text();
        out.println("   signing secret " + secret.substring(0, 10) + "… (whsec_ + base64 of 32 bytes)");

        HttpResponse<String> r = syncAs(credential);
        if (r.statusCode() != 202) {
            out.printf("   /stream/sync answered %d: %s%n", r.statusCode(), r.body());
            return false;
        }
        String syncId = JSON.readTree(r.body()).path("syncId").asText();
        SampleTarget.Received got = awaitDelivery();
        if (got == null) {
            out.println("   not delivered within a minute");
            return false;
        }
        String id = got.webhook().get(WebhookSigner.WEBHOOK_ID);
        String timestamp = got.webhook().get(WebhookSigner.WEBHOOK_TIMESTAMP);
        String signature = got.webhook().get(WebhookSigner.WEBHOOK_SIGNATURE);
        boolean verified = id != null && timestamp != null && signature != null
                && Arrays.asList(signature.split(" ")).contains(new WebhookSigner(List.of(ring.current()))
                        .sign(id, Long.parseLong(timestamp), got.body().getBytes(StandardCharsets.UTF_8)));
        out.printf("   delivered with webhook-id %s (%s the syncId), webhook-timestamp %s%n", id,
                syncId.equals(id) ? "=" : "NOT", timestamp);
        out.printf("   webhook-signature %s: %s with the source's secret (docs/signing.md: Java, openssl)%n",
                signature, verified ? "verified" : "NOT verified");
        return verified && syncId.equals(id);
    }

    /** As the new source, retried while the gateway has not yet seen it (it follows sources.json within ~1 s). */
    private HttpResponse<String> syncAs(String credential) throws Exception {
        ObjectNode body = SyncPost.body("demo-signed", target.baseUrl() + PATH,
                JSON.createObjectNode().put("orderid", "order-signed").put("PO", "po-signed"));
        HttpResponse<String> r = SyncPost.send(stack.gatewayUrl(), credential, body);
        for (int i = 0; i < 50 && r.statusCode() == 401; i++) {
            Thread.sleep(100);
            r = SyncPost.send(stack.gatewayUrl(), credential, body);
        }
        return r;
    }

    private SampleTarget.Received awaitDelivery() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < until) {
            for (SampleTarget.Received r : target.received()) {
                if (r.path().equals(PATH) && r.succeeded()) {
                    return r;
                }
            }
            Thread.sleep(100);
        }
        return null;
    }

}
