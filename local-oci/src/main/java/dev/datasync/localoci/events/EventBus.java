package dev.datasync.localoci.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.localoci.support.JsonLog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The events the emulated services emit, in OCI's CloudEvents envelope, handed to whoever subscribed (the emulator
 * plays the emitting side of OCI Events; which rule matches and what it invokes is the subscriber's business, as on
 * OCI). Events are delivered after the change that caused them is committed and its answer sent on its way, one at
 * a time in the order they were emitted, on one daemon thread: a slow subscriber delays later events, never an API
 * call. With no subscriber an event is dropped, as OCI drops an event no rule matches.
 */
public final class EventBus implements AutoCloseable {

    private final List<Consumer<JsonNode>> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "local-oci-events");
        t.setDaemon(true);
        return t;
    });

    /** Every event from now on goes to {@code subscriber} too; closing the returned handle stops that. */
    public AutoCloseable subscribe(Consumer<JsonNode> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(JsonNode event) {
        if (subscribers.isEmpty() || delivery.isShutdown()) {
            return;
        }
        delivery.execute(() -> {
            for (Consumer<JsonNode> s : subscribers) {
                try {
                    s.accept(event);
                } catch (RuntimeException e) {
                    JsonLog.warn("event-subscriber-failed", "eventType", event.path("eventType").asText(),
                            JsonLog.REASON, e.getClass().getSimpleName());
                }
            }
        });
    }

    @Override
    public void close() {
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
