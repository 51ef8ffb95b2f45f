package dev.datasync.shared.routing;

import dev.datasync.shared.log.JsonLog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Places routed messages in their error streams: one write per stream (the appender splits it at OCI's 1 MB request
 * limit), in batch order, each entry checked. Entries the service refused are tried again a few times; if any
 * still cannot be placed, {@link RoutingFailedException} — the caller must not acknowledge the batch.
 */
public final class ErrorStreamRouter {

    private static final List<Duration> RETRY_WAITS = List.of(Duration.ofMillis(100), Duration.ofMillis(400));

    private final StreamAppender appender;
    private final JsonLog log;

    public ErrorStreamRouter(StreamAppender appender, JsonLog log) {
        this.appender = appender;
        this.log = log;
    }

    public void place(List<RoutedMessage> messages) {
        Map<String, List<RoutedMessage>> byStream = new LinkedHashMap<>();
        for (RoutedMessage m : messages) {
            byStream.computeIfAbsent(m.stream(), s -> new ArrayList<>()).add(m);
        }
        int unplaced = 0;
        for (Map.Entry<String, List<RoutedMessage>> e : byStream.entrySet()) {
            unplaced += placeInStream(e.getKey(), e.getValue());
        }
        if (unplaced > 0) {
            throw new RoutingFailedException(unplaced + " of " + messages.size()
                    + " failed messages could not be written to their error streams");
        }
    }

    /** @return how many messages could not be placed */
    private int placeInStream(String stream, List<RoutedMessage> messages) {
        List<RoutedMessage> pending = messages;
        for (int round = 0; ; round++) {
            List<RoutedMessage> failed = appendAll(stream, pending);
            log.info("routing.placed").streamId(stream).count("placed", pending.size() - failed.size())
                    .count("notPlaced", failed.size()).attempt(round + 1).write();
            if (failed.isEmpty() || round >= RETRY_WAITS.size()) {
                return failed.size();
            }
            pending = failed;
            try {
                Thread.sleep(RETRY_WAITS.get(round).toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return failed.size();
            }
        }
    }

    private List<RoutedMessage> appendAll(String stream, List<RoutedMessage> chunk) {
        List<String> errors;
        try {
            errors = appender.append(stream, chunk);
        } catch (Exception e) {
            log.warn("routing.write_failed").streamId(stream).code(e.getClass().getSimpleName()).write();
            return chunk;
        }
        List<RoutedMessage> failed = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            // a result list shorter than the request is treated as "not placed" for the missing entries
            String error = i < errors.size() ? errors.get(i) : "no result for entry";
            if (error != null) {
                RoutedMessage m = chunk.get(i);
                log.warn("routing.entry_failed").streamId(stream).syncId(m.syncId()).reason(error).write();
                failed.add(m);
            }
        }
        return failed;
    }
}
