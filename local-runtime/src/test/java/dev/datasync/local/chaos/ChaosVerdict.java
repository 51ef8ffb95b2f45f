package dev.datasync.local.chaos;

import dev.datasync.shared.testing.ChaosTarget;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where every acknowledged message ended, judged from what the target saw (each call with its outcome, in the order
 * the target decided them) and what the dead-letter and unrecoverable streams hold. A message is delivered when the
 * target answered 2xx to a call carrying its syncId as {@code Idempotency-Key}.
 * <ul>
 *   <li><b>lost</b>: acknowledged, yet neither delivered nor in DeadLetterStream / UnrecoverableErrorStream;</li>
 *   <li><b>order inversion</b>: for a keyed lane, taking the target's 2xx answers in order and counting each
 *   Idempotency-Key at its first 2xx only (a target that honours the key ignores a repeat), an acknowledged message
 *   accepted after a later acknowledged message of its lane had been — the last accepted sequence number of a key
 *   went backwards. Only acknowledged messages owe an order: each was answered 202 before its client sent the next,
 *   whereas a request a plain client gave up on (no answer) may still be written after the next one;</li>
 *   <li><b>foreign duplicate</b>: one message accepted under two Idempotency-Keys (two syncIds), or under another
 *   key than the syncId its client was given — a duplicate the target cannot recognise.</li>
 * </ul>
 */
final class ChaosVerdict {

    private final Map<MessageId, String> acknowledged;
    private final List<ChaosTarget.Call> calls;
    private final Map<String, String> deadLettered;
    private final Set<String> unrecoverable;
    private final Predicate<MessageId> keyed;
    private final Set<String> delivered;

    /**
     * @param deadLettered syncId → deadLetterReason of every message in DeadLetterStream
     * @param unrecoverable syncIds in UnrecoverableErrorStream
     * @param keyed        whether a message's lane has a streamKey (its order is owed)
     */
    ChaosVerdict(Map<MessageId, String> acknowledged, List<ChaosTarget.Call> calls, Map<String, String> deadLettered,
                 Set<String> unrecoverable, Predicate<MessageId> keyed) {
        this.acknowledged = Map.copyOf(acknowledged);
        this.calls = calls.stream().sorted(Comparator.comparingLong(ChaosTarget.Call::order)).toList();
        this.deadLettered = Map.copyOf(deadLettered);
        this.unrecoverable = Set.copyOf(unrecoverable);
        this.keyed = keyed;
        this.delivered = this.calls.stream().filter(ChaosTarget.Call::accepted).map(c -> c.header("Idempotency-Key"))
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    }

    /** Acknowledged messages not settled: not delivered, not dead-lettered, not unrecoverable. */
    Map<MessageId, String> lost() {
        Map<MessageId, String> lost = new TreeMap<>(Comparator.comparing(MessageId::toString));
        acknowledged.forEach((id, syncId) -> {
            if (!delivered.contains(syncId) && !deadLettered.containsKey(syncId) && !unrecoverable.contains(syncId)) {
                lost.put(id, syncId);
            }
        });
        return lost;
    }

    List<String> inversions() {
        Map<String, Integer> lastAccepted = new HashMap<>();
        Set<String> seenKeys = new HashSet<>();
        List<String> inversions = new ArrayList<>();
        for (ChaosTarget.Call c : calls) {
            MessageId id = Lane.delivered(c.body());
            String key = c.header("Idempotency-Key");
            if (!c.accepted() || id == null || !keyed.test(id) || key == null || !key.equals(acknowledged.get(id))
                    || !seenKeys.add(key)) {
                continue;
            }
            String lane = id.source() + "/" + id.lane();
            Integer last = lastAccepted.get(lane);
            if (last != null && id.seq() < last) {
                inversions.add(lane + ": #" + id.seq() + " (" + key + ") accepted after #" + last);
            }
            lastAccepted.merge(lane, id.seq(), Math::max);
        }
        return inversions;
    }

    List<String> foreignDuplicates() {
        Map<MessageId, Set<String>> keysByMessage = new TreeMap<>(Comparator.comparing(MessageId::toString));
        for (ChaosTarget.Call c : calls) {
            MessageId id = Lane.delivered(c.body());
            if (c.accepted() && id != null) {
                keysByMessage.computeIfAbsent(id, k -> new TreeSet<>()).add(String.valueOf(c.header("Idempotency-Key")));
            }
        }
        List<String> found = new ArrayList<>();
        keysByMessage.forEach((id, keys) -> {
            String syncId = acknowledged.get(id);
            if (keys.size() > 1 || (syncId != null && !keys.contains(syncId))) {
                found.add(id + " accepted under " + keys + (syncId == null ? "" : ", acknowledged as " + syncId));
            }
        });
        return found;
    }

    /** The figures the run prints (none is asserted). */
    String figures() {
        long deliveries = calls.stream().filter(ChaosTarget.Call::accepted).count();
        long duplicates = deliveries - delivered.size();
        Map<String, Long> attempts = calls.stream().filter(c -> c.header("Idempotency-Key") != null)
                .collect(Collectors.groupingBy(c -> c.header("Idempotency-Key"), Collectors.counting()));
        List<Long> perMessage = acknowledged.values().stream().filter(delivered::contains)
                .map(s -> attempts.getOrDefault(s, 0L)).toList();
        Map<ChaosTarget.Outcome, Long> outcomes = new TreeMap<>(calls.stream()
                .collect(Collectors.groupingBy(ChaosTarget.Call::outcome, Collectors.counting())));
        Map<String, Long> reasons = new TreeMap<>(deadLettered.entrySet().stream()
                .filter(e -> acknowledged.containsValue(e.getKey()))
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting())));
        long ackDelivered = acknowledged.values().stream().filter(delivered::contains).count();
        long ackUnrecoverable = acknowledged.values().stream().filter(unrecoverable::contains).count();
        return String.format("acknowledged %d: delivered %d, dead-lettered %s, unrecoverable %d%n"
                        + "duplicates: %d of %d deliveries (%.2f %% of the %d messages delivered), all under the same"
                        + " Idempotency-Key%n"
                        + "target calls per delivered message: mean %.2f, max %d; target calls by outcome %s",
                acknowledged.size(), ackDelivered, reasons, ackUnrecoverable, duplicates, deliveries,
                delivered.isEmpty() ? 0.0 : 100.0 * duplicates / delivered.size(), delivered.size(),
                perMessage.stream().mapToLong(Long::longValue).average().orElse(0),
                perMessage.stream().mapToLong(Long::longValue).max().orElse(0), outcomes);
    }
}
