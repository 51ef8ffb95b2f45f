package dev.datasync.local.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.log.LogEvents;
import dev.datasync.shared.log.LogFields;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole life of one message, as {@code ./datasync trace SYNCID --json} and {@code GET /admin/trace/{syncId}}
 * give it: {@code {syncId, traceId, state, accepted, events[], now}}. Two sources:
 * <ul>
 * <li>the stack's log lines that carry the syncId ({@link LogEvents}): accepted, every attempt (status or failure
 * kind, latency), delivered, routed, held, delayed (waiting for its deliverAfter), redriven, replayed,
 * dead-lettered, and its outcome callback ({@code callback}: delivered or failed, with the outcome it reported);</li>
 * <li>the message's stored copies in the error streams and DeadLetterStream (read through the Streaming API): each
 * distinct envelope is one placement (routed, held, delayed or dead-lettered) with its stream, partition, offset,
 * {@code nextAttemptAt} and {@code deadLetterReason}; the newest copy is where the message is now, unless it was
 * delivered after it was appended. They stand in for the log's placements in their stream, and their
 * {@code attempts} stand in for the log's when the log has none (rotated away).</li>
 * </ul>
 * DataSyncStream is read only when the log has no {@code sync.accepted} line (a bulk-ingested message).
 */
public final class MessageTrace {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final StackView stack;

    public MessageTrace(StackView stack) {
        this.stack = stack;
    }

    /** The trace, or empty when nothing anywhere knows the syncId. */
    public Optional<ObjectNode> of(String syncId) {
        List<JsonNode> lines = new ArrayList<>();
        String quoted = "\"" + LogFields.SYNC_ID + "\":" + F.textNode(syncId);
        stack.logs().forEach(raw -> raw.contains(quoted), lines::add);

        List<StoredCopy> copies = new ArrayList<>();
        StreamScan scan = new StreamScan(stack.streams());
        for (Map.Entry<String, String> s : failureStreams().entrySet()) {
            copies.addAll(scan.copiesOf(syncId, s.getKey(), s.getValue()));
        }
        List<Event> events = new ArrayList<>();
        ObjectNode accepted = null;
        String traceId = null;
        Set<String> streamsWithCopies = new HashSet<>();
        copies.forEach(c -> streamsWithCopies.add(c.streamId()));
        boolean loggedAttempts = false;
        for (JsonNode l : lines) {
            if (traceId == null && l.hasNonNull(LogFields.TRACE_ID)) {
                traceId = l.get(LogFields.TRACE_ID).asText();
            }
            Event e = fromLog(l, streamsWithCopies);
            if (e == null) {
                continue;
            }
            events.add(e);
            if (e.next != null) {
                events.add(e.next);
            }
            if (e.name.equals("attempt")) {
                loggedAttempts = true;
            }
            if (e.name.equals("accepted") && accepted == null) {
                accepted = acceptedOf(e);
            }
        }
        if (accepted == null) {
            List<StoredCopy> original = scan.copiesOf(syncId, streamName(stack.config().streams().dataStream()),
                    stack.config().streams().dataStream());
            if (!original.isEmpty()) {
                Event e = fromDataStream(original.get(0));
                events.add(e);
                accepted = acceptedOf(e);
            }
        }
        events.addAll(placements(copies));
        if (!loggedAttempts && !copies.isEmpty()) {
            events.addAll(attemptsOf(newest(copies)));
        }
        if (events.isEmpty()) {
            return Optional.empty();
        }
        events.sort(Comparator.comparing((Event e) -> e.at == null ? Instant.EPOCH : e.at));

        ObjectNode now = now(events, copies, accepted);
        ObjectNode out = F.objectNode();
        out.put("syncId", syncId);
        out.put("traceId", traceId);
        out.put("state", now.path("state").asText());
        out.set("accepted", accepted == null ? F.nullNode() : accepted);
        ArrayNode list = out.putArray("events");
        events.forEach(e -> list.add(e.json()));
        out.set("now", now);
        return Optional.of(out);
    }

    /** Every stream a failed message can be in: the error streams and DeadLetterStream, by name → OCID. */
    private Map<String, String> failureStreams() {
        Map<String, String> out = new LinkedHashMap<>();
        stack.failureStreams().forEach(id -> out.put(streamName(id), id));
        return out;
    }

    /** One trace event from a log line; null for a line that is not one (or whose placement a copy tells). */
    private Event fromLog(JsonNode l, Set<String> streamsWithCopies) {
        Instant at = instant(l.path(LogFields.TS).asText(null));
        String event = l.path(LogFields.EVENT).asText("");
        Event e;
        switch (event) {
            case LogEvents.ACCEPTED -> {
                e = new Event(at, "accepted");
                e.put("source", text(l, LogFields.SOURCE_ID));
                e.put("stream", streamOf(l));
                e.put("partition", text(l, LogFields.PARTITION));
                e.number("offset", l.get(LogFields.OFFSET));
            }
            case LogEvents.ATTEMPT, LogEvents.DELIVERED -> {
                e = new Event(at, "attempt");
                e.number("attempt", l.get(LogFields.ATTEMPT));
                e.number("status", l.get(LogFields.STATUS));
                e.put("kind", text(l, LogFields.CODE));
                e.number("latencyMs", l.get(LogFields.LATENCY_MS));
                e.put("stream", streamOf(l));
                e.put("targetHost", text(l, LogFields.TARGET_HOST));
                if (event.equals(LogEvents.DELIVERED)) {
                    return e.then(new Event(at, "delivered").put("stream", streamOf(l))
                            .number("status", l.get(LogFields.STATUS)));
                }
            }
            case LogEvents.ROUTED -> {
                String to = text(l, LogFields.ERROR_STREAM_ID);
                if (to != null && streamsWithCopies.contains(to)) {
                    return null; // its copy in that stream tells more (offset, nextAttemptAt)
                }
                boolean dead = to != null && to.equals(stack.deadLetterStream());
                boolean held = "held".equals(text(l, LogFields.OUTCOME));
                boolean delayed = "delayed".equals(text(l, LogFields.OUTCOME));
                e = new Event(at, dead ? "deadLettered" : held ? "held" : delayed ? "delayed" : "routed");
                e.put("stream", streamName(to));
                e.put("heldBehind", text(l, LogFields.HELD_BEHIND));
                if (dead) {
                    e.put("reason", text(l, LogFields.CODE));
                }
            }
            case LogEvents.LEFT_IN_PLACE -> {
                if (text(l, LogFields.HELD_BEHIND) == null) {
                    return null; // its attempt tells what happened; it stays where it was
                }
                e = new Event(at, "held").put("stream", streamOf(l)).put("heldBehind", text(l, LogFields.HELD_BEHIND));
            }
            case LogEvents.REDRIVEN, LogEvents.REPLAYED -> {
                e = new Event(at, event.equals(LogEvents.REDRIVEN) ? "redriven" : "replayed");
                e.put("stream", streamOf(l));
                e.put("partition", text(l, LogFields.PARTITION));
                e.number("offset", l.get(LogFields.OFFSET));
            }
            case LogEvents.FILTERED -> {
                e = new Event(at, "filtered").put("stream", streamOf(l))
                        .put("rulesVersion", text(l, LogFields.RULES_VERSION));
            }
            case LogEvents.DEAD_LETTERED -> {
                if (streamsWithCopies.contains(stack.deadLetterStream())) {
                    return null;
                }
                e = new Event(at, "deadLettered").put("stream", streamName(stack.deadLetterStream()))
                        .put("reason", text(l, LogFields.CODE));
            }
            case LogEvents.CALLBACK_DELIVERED, LogEvents.CALLBACK_FAILED -> {
                // the callback's own fate: it never changes where the message is (now() ignores it)
                e = new Event(at, "callback")
                        .put("callback", event.equals(LogEvents.CALLBACK_DELIVERED) ? "delivered" : "failed")
                        .put("outcome", text(l, LogFields.OUTCOME))
                        .put("targetHost", text(l, LogFields.TARGET_HOST))
                        .put("reason", text(l, LogFields.REASON));
                e.number("attempts", l.get(LogFields.ATTEMPT));
            }
            default -> {
                return null;
            }
        }
        return e;
    }

    private Event fromDataStream(StoredCopy c) {
        Instant received = instant(text(c.value(), StreamMessage.RECEIVED_AT));
        Event e = new Event(received != null ? received : c.appendedAt(), "accepted");
        e.put("source", text(c.value(), StreamMessage.SOURCE_ID));
        e.put("stream", c.streamName());
        e.put("partition", c.partition());
        e.fields.put("offset", c.offset());
        return e;
    }

    private static ObjectNode acceptedOf(Event e) {
        ObjectNode a = e.json();
        a.remove("event");
        return a;
    }

    /** Each distinct envelope (copies forward by the redrive repeat it unchanged) is one placement. */
    private List<Event> placements(List<StoredCopy> copies) {
        List<StoredCopy> ordered = new ArrayList<>(copies);
        ordered.sort(Comparator.comparing((StoredCopy c) -> c.appendedAt() == null ? Instant.EPOCH : c.appendedAt())
                .thenComparing(StoredCopy::offset));
        Set<String> seen = new HashSet<>();
        List<Event> out = new ArrayList<>();
        for (StoredCopy c : ordered) {
            ObjectNode v = c.value();
            String identity = c.streamId() + '|' + v.path(PipelineFields.DELIVERY_ATTEMPTS) + '|'
                    + v.path(PipelineFields.REDRIVE_COUNT) + '|' + v.path(PipelineFields.NEXT_ATTEMPT_AT) + '|'
                    + v.path(PipelineFields.HELD_BEHIND) + '|' + v.path(PipelineFields.DEAD_LETTER_REASON);
            if (!seen.add(identity)) {
                continue;
            }
            out.add(placement(c));
        }
        return out;
    }

    private Event placement(StoredCopy c) {
        ObjectNode v = c.value();
        String reason = text(v, PipelineFields.DEAD_LETTER_REASON);
        boolean dead = c.streamId().equals(stack.deadLetterStream());
        String heldBehind = text(v, PipelineFields.HELD_BEHIND);
        Instant at = dead && instant(text(v, PipelineFields.DEAD_LETTERED_AT)) != null
                ? instant(text(v, PipelineFields.DEAD_LETTERED_AT)) : c.appendedAt();
        String delayedUntil = dead ? null : text(v, PipelineFields.DELAYED_UNTIL);
        Event e = new Event(at, dead ? "deadLettered" : heldBehind != null ? "held"
                : delayedUntil != null ? "delayed" : "routed");
        e.put("stream", c.streamName());
        e.put("delayedUntil", delayedUntil);
        e.put("partition", c.partition());
        e.fields.put("offset", c.offset());
        JsonNode last = v.get(PipelineFields.LAST_ERROR);
        if (last != null && last.isObject()) {
            e.number("status", last.get("status"));
            e.put("kind", text(last, "kind"));
        }
        e.put("heldBehind", heldBehind);
        e.put("nextAttemptAt", dead ? null : text(v, PipelineFields.NEXT_ATTEMPT_AT));
        e.put("reason", reason);
        return e;
    }

    /** The attempts an envelope remembers (its last ten calls), for a trace whose log lines are gone. */
    private static List<Event> attemptsOf(StoredCopy c) {
        List<Event> out = new ArrayList<>();
        JsonNode attempts = c.value().get(PipelineFields.ATTEMPTS);
        if (attempts == null || !attempts.isArray()) {
            return out;
        }
        for (JsonNode a : attempts) {
            Event e = new Event(instant(text(a, "at")), "attempt");
            e.number("status", a.get("status"));
            e.put("kind", text(a, "kind"));
            e.number("latencyMs", a.get("latencyMs"));
            out.add(e);
        }
        return out;
    }

    /** Where the message is now: delivered after its newest copy was appended, else that copy, else the log. */
    private ObjectNode now(List<Event> events, List<StoredCopy> copies, ObjectNode accepted) {
        ObjectNode now = F.objectNode();
        Event delivered = null;
        Event lastPlacement = null;
        for (Event e : events) {
            switch (e.name) {
                case "delivered", "filtered" -> delivered = e; // both final: nothing of it waits anywhere
                case "routed", "held", "delayed", "deadLettered" -> lastPlacement = e;
                default -> {
                }
            }
        }
        StoredCopy newest = copies.isEmpty() ? null : newest(copies);
        Instant placedAt = newest != null ? newest.appendedAt() : lastPlacement != null ? lastPlacement.at : null;
        if (delivered != null && (placedAt == null || delivered.at == null || !delivered.at.isBefore(placedAt))) {
            now.put("state", delivered.name);
            now.put("at", iso(delivered.at));
            return now;
        }
        if (newest != null) {
            ObjectNode v = newest.value();
            boolean dead = newest.streamId().equals(stack.deadLetterStream());
            boolean unrecoverable = newest.streamId().equals(stack.config().streams().unrecoverable());
            String delayedUntil = dead || unrecoverable ? null : text(v, PipelineFields.DELAYED_UNTIL);
            now.put("state", dead ? "deadLettered" : unrecoverable ? "unrecoverable"
                    : text(v, PipelineFields.HELD_BEHIND) != null ? "held"
                    : delayedUntil != null ? "delayed" : "routed");
            if (delayedUntil != null) {
                now.put("delayedUntil", delayedUntil);
            }
            now.put("stream", newest.streamName());
            now.put("partition", newest.partition());
            now.put("offset", newest.offset());
            if (!dead && !unrecoverable && text(v, PipelineFields.NEXT_ATTEMPT_AT) != null) {
                now.put("nextAttemptAt", text(v, PipelineFields.NEXT_ATTEMPT_AT));
            }
            if (text(v, PipelineFields.HELD_BEHIND) != null) {
                now.put("heldBehind", text(v, PipelineFields.HELD_BEHIND));
            }
            if (dead) {
                now.put("deadLetterReason", text(v, PipelineFields.DEAD_LETTER_REASON));
            }
            return now;
        }
        if (lastPlacement != null) {
            String stream = lastPlacement.fields.path("stream").asText(null);
            boolean unrecoverable = stream != null
                    && stream.equals(streamName(stack.config().streams().unrecoverable()));
            now.put("state", unrecoverable ? "unrecoverable" : lastPlacement.name);
            now.put("stream", stream);
            if (lastPlacement.name.equals("deadLettered")) {
                now.put("deadLetterReason", lastPlacement.fields.path("reason").asText(null));
            }
            return now;
        }
        now.put("state", "accepted");
        if (accepted != null) {
            now.set("stream", accepted.get("stream"));
            now.set("partition", accepted.get("partition"));
            now.set("offset", accepted.get("offset"));
        }
        return now;
    }

    private static StoredCopy newest(List<StoredCopy> copies) {
        return copies.stream().max(Comparator.comparing((StoredCopy c) -> c.appendedAt() == null ? Instant.EPOCH
                : c.appendedAt()).thenComparing(StoredCopy::offset)).orElseThrow();
    }

    private String streamOf(JsonNode l) {
        if (l.hasNonNull(LogFields.STREAM)) {
            return l.get(LogFields.STREAM).asText();
        }
        return streamName(text(l, LogFields.STREAM_ID));
    }

    private String streamName(String ocid) {
        return stack.streamName(ocid);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /** RFC 3339 in milliseconds, as the functions' log lines have it, whatever the source's precision. */
    private static String iso(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** One event of the trace; a field is written only when it applies (null values are left out). */
    private static final class Event {
        final Instant at;
        final String name;
        final ObjectNode fields = F.objectNode();
        Event next;

        Event(Instant at, String name) {
            this.at = at;
            this.name = name;
        }

        Event put(String field, String value) {
            if (value != null) {
                fields.put(field, value);
            }
            return this;
        }

        Event number(String field, JsonNode value) {
            if (value != null && value.isNumber()) {
                fields.set(field, value);
            }
            return this;
        }

        /** This event, then another at the same moment (an attempt that delivered, then delivered). */
        Event then(Event e) {
            this.next = e;
            return this;
        }

        ObjectNode json() {
            ObjectNode o = F.objectNode();
            o.put("at", iso(at));
            o.put("event", name);
            o.setAll(fields);
            return o;
        }
    }
}
