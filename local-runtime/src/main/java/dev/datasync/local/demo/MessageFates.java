package dev.datasync.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.streaming.model.Message;
import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.stack.ErrorStream;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the demo's accepted messages ended: delivered to the sample target (which records each request's
 * Idempotency-Key, the syncId) or routed to an error stream (whose envelopes carry the syncId).
 */
final class MessageFates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofSeconds(45);

    private final SampleTarget target;
    private final StreamInspector inspector;
    private final List<ErrorStream> errorStreams;

    MessageFates(SampleTarget target, StreamInspector inspector, List<ErrorStream> errorStreams) {
        this.target = target;
        this.inspector = inspector;
        this.errorStreams = errorStreams;
    }

    /**
     * Waits until every one of {@code syncIds} is accounted for — delivered to the target or present in an error
     * stream — and answers syncId → error stream name for those routed.
     */
    Map<String, String> awaitRouted(Collection<String> syncIds) throws InterruptedException {
        long until = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Map<String, String> routed = routedSyncIds();
            if (syncIds.stream().allMatch(id -> routed.containsKey(id) || delivered(id))) {
                return routed;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("not every accepted message was delivered or routed within "
                        + SETTLE.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    /** The target answered a request carrying this syncId with a success at least once. */
    boolean delivered(String syncId) {
        return target.received().stream().anyMatch(r -> syncId.equals(r.idempotencyKey()) && r.succeeded());
    }

    /** syncId → name of the first error stream holding it. */
    private Map<String, String> routedSyncIds() {
        Map<String, String> routed = new HashMap<>();
        for (ErrorStream es : errorStreams) {
            int partitions = inspector.get(es.ocid()).getPartitions();
            for (int p = 0; p < partitions; p++) {
                for (Message m : inspector.read(es.ocid(), Integer.toString(p), null, 10_000)) {
                    try {
                        String id = JSON.readTree(m.getValue()).path("syncId").asText(null);
                        if (id != null) {
                            routed.putIfAbsent(id, es.name());
                        }
                    } catch (IOException ignored) {
                        // not an envelope
                    }
                }
            }
        }
        return routed;
    }
}
