package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.stack.PipelineStack;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The demo's outcome callbacks: two messages with {@code streamMessage.callbackUrl}, one delivered, one its target
 * refuses (400, unrecoverable); each is called back once it ends, with its outcome and last error. The callback
 * endpoint and the refusing target are a listener of their own (its record, breaker and 400s are its own).
 */
final class CallbackDemo {

    private static final String HOOK = "/hooks/outcome";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStack stack;
    private final SampleTarget target;
    private final String sourceToken;
    private final PrintStream out;

    CallbackDemo(PipelineStack stack, SampleTarget target, String sourceToken, PrintStream out) {
        this.stack = stack;
        this.target = target;
        this.sourceToken = sourceToken;
        this.out = out;
    }

    /** @return whether both messages were called back with the outcome they ended with */
    boolean run() throws Exception {
        out.println("10. outcome callbacks: streamMessage.callbackUrl, called back when the message ends");
        try (SampleTarget hooks = SampleTarget.start(0)) {
            boolean delivered = oneMessage(hooks, target.baseUrl() + "/orders/callback", "delivered");
            boolean refused = oneMessage(hooks, hooks.baseUrl() + "/orders/status/400", "unrecoverable");
            return delivered && refused;
        }
    }

    private boolean oneMessage(SampleTarget hooks, String to, String expected) throws Exception {
        ObjectNode body = SyncPost.body("demo-callback-" + expected, to,
                JSON.createObjectNode().put("orderid", "order-callback"));
        ((ObjectNode) body.get("streamMessage")).put("callbackUrl", hooks.baseUrl() + HOOK);
        HttpResponse<String> r = SyncPost.send(stack.gatewayUrl(), sourceToken, body);
        if (r.statusCode() != 202) {
            out.printf("   /stream/sync answered %d: %s%n", r.statusCode(), r.body());
            return false;
        }
        String syncId = JSON.readTree(r.body()).path("syncId").asText();
        Optional<JsonNode> callback = awaitCallback(hooks, syncId);
        if (callback.isEmpty()) {
            out.printf("   syncId %s → NO callback%n", syncId);
            return false;
        }
        JsonNode c = callback.get();
        JsonNode lastError = c.path("lastError");
        out.printf("   syncId %s → callback %s: outcome %s, %d attempt(s), lastError %s%n", syncId, HOOK,
                c.path("outcome").asText(), c.path("attempts").size(), lastError.isNull() ? "null"
                        : lastError.path("status").asText(lastError.path("kind").asText()));
        return expected.equals(c.path("outcome").asText());
    }

    private static Optional<JsonNode> awaitCallback(SampleTarget hooks, String syncId) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < until) {
            for (SampleTarget.Received x : hooks.received()) {
                if ((syncId + ".callback").equals(x.idempotencyKey()) && x.path().equals(HOOK)) {
                    return Optional.of(JSON.readTree(x.body()));
                }
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }
}
