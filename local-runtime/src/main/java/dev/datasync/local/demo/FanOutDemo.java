package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.stack.PipelineStack;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The demo's fan-out: one sync request with {@code streamMessage.targets} naming three paths of the sample target;
 * the 202 lists each target's syncId ({@code <syncId>.<n>}), and each arrives with that id as its Idempotency-Key.
 */
final class FanOutDemo {

    private static final String[] PATHS = {"/orders/fan/crm", "/orders/fan/billing", "/orders/fan/audit"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStack stack;
    private final SampleTarget target;
    private final String sourceToken;
    private final PrintStream out;

    FanOutDemo(PipelineStack stack, SampleTarget target, String sourceToken, PrintStream out) {
        this.stack = stack;
        this.target = target;
        this.sourceToken = sourceToken;
        this.out = out;
    }

    /** @return whether every target's message was delivered with its own id */
    boolean run() throws Exception {
        out.println("9. fan-out: one sync request, streamMessage.targets naming " + PATHS.length + " targets");
        ObjectNode body = JSON.createObjectNode();
        body.put("streamKey", "demo-fan-out");
        ArrayNode targets = body.putObject("streamMessage").putArray("targets");
        for (String path : PATHS) {
            ObjectNode t = targets.addObject();
            t.put("targetRestApi", target.baseUrl() + path);
            t.put("targetRestApiOperation", "POST");
            t.putObject("targetRestApiPayload").put("orderid", "order-fan-out");
        }
        HttpResponse<String> r = SyncPost.send(stack.gatewayUrl(), sourceToken, body);
        if (r.statusCode() != 202) {
            out.printf("   /stream/sync answered %d: %s%n", r.statusCode(), r.body());
            return false;
        }
        JsonNode accepted = JSON.readTree(r.body());
        out.printf("   202 syncId %s, one message per target:%n", accepted.path("syncId").asText());
        boolean all = true;
        for (int n = 0; n < PATHS.length; n++) {
            String id = accepted.path("targets").path(n).path("syncId").asText();
            boolean delivered = awaitDelivered(id, PATHS[n]);
            all &= delivered;
            out.printf("   %-22s syncId %s → %s%n", PATHS[n], id, delivered ? "delivered (Idempotency-Key " + id + ")"
                    : "NOT delivered");
        }
        return all;
    }

    private boolean awaitDelivered(String id, String path) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < until) {
            if (target.received().stream().anyMatch(x -> id.equals(x.idempotencyKey()) && x.path().equals(path)
                    && x.succeeded())) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
