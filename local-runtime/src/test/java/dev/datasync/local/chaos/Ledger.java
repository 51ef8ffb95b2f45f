package dev.datasync.local.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What the client applications were told: the syncId of every message answered 202, and how they got there. */
final class Ledger {

    private final Map<MessageId, String> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, Integer> ambiguous = Collections.synchronizedMap(new TreeMap<>());
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger replayed = new AtomicInteger();
    private final AtomicInteger resent = new AtomicInteger();
    private final AtomicInteger givenUp = new AtomicInteger();

    void requestSent() {
        requests.incrementAndGet();
    }

    void acknowledged(MessageId id, String syncId, boolean idempotentReplay) {
        acknowledged.put(id, syncId);
        if (idempotentReplay) {
            replayed.incrementAndGet();
        }
    }

    /** @param why the status, or the kind of failure when there was no answer */
    void ambiguous(String why) {
        ambiguous.merge(why, 1, Integer::sum);
    }

    void resent() {
        resent.incrementAndGet();
    }

    void givenUp(MessageId id) {
        givenUp.incrementAndGet();
    }

    /** An answer a valid request should never get (a 4xx other than 429). */
    void unexpected(MessageId id, String answer) {
        unexpected.add(id + ": " + answer);
    }

    Map<MessageId, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    List<String> unexpected() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    String summary() {
        synchronized (ambiguous) {
            return requests.get() + " sync requests: " + acknowledged.size() + " messages answered 202 ("
                    + replayed.get() + " of them Idempotent-Replayed), ambiguous answers " + ambiguous + ", "
                    + resent.get() + " resent with the same Idempotency-Key, " + givenUp.get()
                    + " given up by plain clients (never resent)";
        }
    }
}
