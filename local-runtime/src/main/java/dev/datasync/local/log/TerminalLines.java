package dev.datasync.local.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.log.LogFields;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What {@code ./datasync up} shows on its terminal instead of the JSON lines (those go to the log file): per
 * interval one line with what happened to messages ({@code accepted 12 · delivered 11 · routed 1
 * (ServiceUnavailableErrorStream 1)}), and at once one line per notable event: a dead-lettered message, a finished
 * replay or bulk file, and every WARN or ERROR that is not about one message's delivery (a target's circuit opening,
 * a read that fails, a function that cannot start). Per-message lines are only counted. Values are escaped
 * ({@link ControlChars}); nothing here is parsed back.
 */
public final class TerminalLines implements java.util.function.Consumer<String>, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Per-message events: counted into the interval's line, never printed one by one. */
    private static final Set<String> PER_MESSAGE = Set.of(LogEvents.ACCEPTED, LogEvents.DELIVERED, LogEvents.ATTEMPT,
            LogEvents.FAILED, LogEvents.ROUTED, LogEvents.LEFT_IN_PLACE, LogEvents.REDRIVEN, LogEvents.REPLAYED,
            "sync.rejected", "idempotency.replayed", "message.value_truncated", "delivery.not_started");

    private final PrintStream out;
    private final Function<String, String> streamName;
    private final ScheduledExecutorService ticker;
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Long> routedTo = new TreeMap<>();

    /**
     * @param streamName a stream's name from its OCID (the OCID itself when unknown)
     * @param intervalMs how often the counts line is printed (only when something happened)
     */
    public TerminalLines(PrintStream out, Function<String, String> streamName, long intervalMs) {
        this.out = out;
        this.streamName = streamName;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "datasync-terminal");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::printCounts, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void accept(String line) {
        if (!line.startsWith("{")) {
            return; // not ours (SDK chatter): in the log file only
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (Exception notJson) {
            return;
        }
        if (n.path("warmUp").asBoolean(false)) {
            return;
        }
        String event = n.path(LogFields.EVENT).asText("");
        String level = n.path(LogFields.LEVEL).asText("");
        if (PER_MESSAGE.contains(event)) {
            count(event, n);
            return;
        }
        if (event.equals(LogEvents.DEAD_LETTERED)) {
            count(event, n);
            print("dead-lettered " + text(n, LogFields.SYNC_ID) + " from " + stream(n) + " ("
                    + text(n, LogFields.CODE) + ")");
        } else if (event.equals("retry.done")) {
            print("replay of " + stream(n) + " partition " + text(n, LogFields.PARTITION) + ": read "
                    + n.path("read").asLong() + ", delivered " + n.path("delivered").asLong() + ", failed "
                    + n.path("failed").asLong() + " (" + text(n, LogFields.OUTCOME) + ")");
        } else if (event.startsWith("ingest.") && n.has("written")) {
            print("bulk file " + text(n, LogFields.OBJECT) + ": " + n.path("written").asLong() + " written, "
                    + n.path("refused").asLong() + " refused");
        } else if (level.equals(LogFields.WARN) || level.equals(LogFields.ERROR)) {
            print(level + " " + text(n, LogFields.COMPONENT) + " " + event + details(n));
        }
    }

    private synchronized void count(String event, JsonNode n) {
        String what = switch (event) {
            case LogEvents.ACCEPTED -> "accepted";
            case LogEvents.DELIVERED -> "delivered";
            case LogEvents.ATTEMPT -> "failed attempts";
            case LogEvents.ROUTED -> "held".equals(n.path(LogFields.OUTCOME).asText()) ? "held" : "routed";
            case LogEvents.LEFT_IN_PLACE -> "left in place";
            case LogEvents.REDRIVEN -> "redriven";
            case LogEvents.REPLAYED -> "replayed";
            case LogEvents.DEAD_LETTERED -> "dead-lettered";
            case "sync.rejected" -> "rejected";
            case "idempotency.replayed" -> "idempotent replays";
            default -> null;
        };
        if (what == null) {
            return;
        }
        counts.merge(what, 1L, Long::sum);
        if (event.equals(LogEvents.ROUTED) && n.hasNonNull(LogFields.ERROR_STREAM_ID)) {
            routedTo.merge(streamName.apply(n.get(LogFields.ERROR_STREAM_ID).asText()), 1L, Long::sum);
        }
    }

    /** One line with the interval's counts, in a fixed order; nothing when nothing happened. */
    synchronized void printCounts() {
        if (counts.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String what : new String[]{"accepted", "rejected", "idempotent replays", "delivered", "failed attempts",
                "routed", "held", "left in place", "redriven", "replayed", "dead-lettered"}) {
            Long c = counts.get(what);
            if (c == null) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(" · ");
            }
            sb.append(what).append(' ').append(c);
            if (what.equals("routed") && !routedTo.isEmpty()) {
                StringBuilder to = new StringBuilder();
                routedTo.forEach((s, k) -> to.append(to.isEmpty() ? "" : ", ").append(s).append(' ').append(k));
                sb.append(" (").append(to).append(')');
            }
        }
        counts.clear();
        routedTo.clear();
        print(sb.toString());
    }

    private void print(String text) {
        out.println(LocalTime.now(ZoneId.systemDefault()).format(CLOCK) + " " + ControlChars.escape(text));
        out.flush();
    }

    private String stream(JsonNode n) {
        if (n.hasNonNull(LogFields.STREAM)) {
            return n.get(LogFields.STREAM).asText();
        }
        return n.hasNonNull(LogFields.STREAM_ID) ? streamName.apply(n.get(LogFields.STREAM_ID).asText()) : "?";
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "?";
    }

    /** The fields after the fixed ones, as {@code name=value}. */
    private static String details(JsonNode n) {
        StringBuilder sb = new StringBuilder();
        n.fieldNames().forEachRemaining(f -> {
            if (!LogFields.FIXED.contains(f)) {
                sb.append(' ').append(f).append('=').append(n.get(f).isTextual() ? n.get(f).asText() : n.get(f));
            }
        });
        return sb.toString();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        printCounts();
    }
}
