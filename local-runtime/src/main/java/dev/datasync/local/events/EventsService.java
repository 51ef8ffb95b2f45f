package dev.datasync.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.local.fnhost.FunctionRequest;
import dev.datasync.local.fnhost.FunctionResponse;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.localoci.events.EventBus;
import dev.datasync.shared.log.LogFields;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OCI Events for the local stack: the events local-oci emits go through every rule, and each matching rule's
 * function is invoked with the event as its body, asynchronously (an upload never waits for its ingest), several at
 * a time so one long file never holds up the next. How OCI Events invokes a function (headers, retries) is not
 * documented; here a call the platform refused (429, 5xx: no container, a time-out) is tried again up to
 * {@value #ATTEMPTS} times with a growing pause, and the function's own answer is only logged — as on OCI, nobody
 * reads it. The functions must therefore cope with an event delivered twice, as they must on OCI.
 */
public final class EventsService implements AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("events");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ATTEMPTS = 3;

    private final List<EventsRule> rules;
    private final ExecutorService invocations;
    private final AutoCloseable subscription;
    private final AtomicInteger inFlight = new AtomicInteger();

    private EventsService(EventBus bus, List<EventsRule> rules, int concurrency) {
        this.rules = List.copyOf(rules);
        AtomicInteger threads = new AtomicInteger();
        this.invocations = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "events-action-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.subscription = bus.subscribe(this::route);
    }

    /** @param concurrency invocations that may run at once (the function's containers) */
    public static EventsService start(EventBus bus, List<EventsRule> rules, int concurrency) {
        return new EventsService(bus, rules, concurrency);
    }

    private void route(JsonNode event) {
        for (EventsRule rule : rules) {
            if (rule.matches(event)) {
                inFlight.incrementAndGet();
                invocations.execute(() -> {
                    try {
                        invoke(rule, event);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
        }
    }

    private void invoke(EventsRule rule, JsonNode event) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        String resource = event.path("data").path("resourceName").asText();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FunctionResponse r = rule.function().invoke(new FunctionRequest(headers, body));
            if (r.succeeded()) {
                LOG.info("event_delivered", "rule", rule.name(), "eventType", event.path("eventType").asText(),
                        "object", resource, LogFields.ATTEMPT, attempt);
                return;
            }
            r.callEnded().join(); // a timed-out call may still run: never run the same event beside it
            LOG.warn("event_delivery_failed", "rule", rule.name(), "object", resource, LogFields.STATUS,
                    r.platformStatus(), LogFields.ATTEMPT, attempt);
            if (attempt < ATTEMPTS) {
                pause(1000L << attempt);
            }
        }
    }

    /** Events matched but not yet handed to their function, or being handled (for tests and a clean stop). */
    public int inFlight() {
        return inFlight.get();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking events; invocations under way finish (a clean Ctrl-C does not cut a file's batch in half). */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // the bus is closing with local-oci
        }
        invocations.shutdown();
        try {
            invocations.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        invocations.shutdownNow();
    }
}
