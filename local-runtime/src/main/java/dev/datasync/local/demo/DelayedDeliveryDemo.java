package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.local.cli.RetryDriver;
import dev.datasync.local.stack.AppConfigFile;
import dev.datasync.local.stack.ErrorStream;
import dev.datasync.local.stack.PipelineStack;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The demo's delayed delivery: a message with {@code deliverAfter} a few seconds ahead is accepted at once, waits in
 * the delay stream (not delivered), and is delivered once its time has come. The demo runs without the automatic
 * redrive (its replays are by hand), so it replays the delay stream itself when the message is due, as the redrive
 * timer of {@code ./datasync up} would.
 */
final class DelayedDeliveryDemo {

    private static final String PATH = "/orders/delayed";
    private static final Duration DELAY = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStack stack;
    private final SampleTarget target;
    private final MessageFates fates;
    private final PrintStream out;
    private final String sourceToken;

    DelayedDeliveryDemo(PipelineStack stack, SampleTarget target, MessageFates fates, String sourceToken,
                        PrintStream out) {
        this.stack = stack;
        this.target = target;
        this.fates = fates;
        this.sourceToken = sourceToken;
        this.out = out;
    }

    /** @return whether the message was accepted at once, waited, and was delivered only after its deliverAfter */
    boolean run() throws Exception {
        Instant due = Instant.now().plus(DELAY);
        long dueNanos = System.nanoTime() + DELAY.toNanos();
        out.println("8. a delayed delivery: deliverAfter " + due + " (" + DELAY.toSeconds() + " s ahead)");
        HttpResponse<String> r = sync(due);
        if (r.statusCode() != 202) {
            out.printf("   /stream/sync answered %d: %s%n", r.statusCode(), r.body());
            return false;
        }
        String syncId = JSON.readTree(r.body()).path("syncId").asText();
        Map<String, String> routed = fates.awaitRouted(List.of(syncId));
        String waitsIn = routed.get(syncId);
        boolean waiting = !fates.delivered(syncId);
        out.printf("   202 at once, syncId %s; waiting in %s (nextAttemptAt = deliverAfter), %s%n", syncId, waitsIn,
                waiting ? "not delivered" : "ALREADY delivered");
        long wait = Duration.between(Instant.now(), due).toMillis();
        if (wait > 0) {
            Thread.sleep(wait + 200);
        }
        String delayStream = AppConfigFile.read(stack.dataDir()).orElseThrow().delay().stream();
        ErrorStream es = stack.errorStreams().stream().filter(e -> e.ocid().equals(delayStream)).findFirst()
                .orElseThrow();
        RetryDriver.Totals t = new RetryDriver(stack.gatewayUrl(), stack.adminToken())
                .replay(es.ocid(), "0", -1, 10, step -> { });
        boolean delivered = fates.delivered(syncId);
        boolean notEarly = target.received().stream().filter(x -> syncId.equals(x.idempotencyKey()))
                .allMatch(x -> x.atNanos() >= dueNanos);
        out.printf("   its time has come: %s replayed as the redrive would (%d delivered): %s%n", es.name(),
                t.delivered(), delivered ? "delivered after " + due : "NOT delivered");
        return waitsIn != null && waiting && delivered && notEarly;
    }

    private HttpResponse<String> sync(Instant due) throws Exception {
        ObjectNode body = SyncPost.body("demo-delayed", target.baseUrl() + PATH,
                JSON.createObjectNode().put("orderid", "order-delayed"));
        ((ObjectNode) body.get("streamMessage")).put("deliverAfter", due.toString());
        return SyncPost.send(stack.gatewayUrl(), sourceToken, body);
    }
}
