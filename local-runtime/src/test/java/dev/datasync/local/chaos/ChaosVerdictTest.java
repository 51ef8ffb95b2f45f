package dev.datasync.local.chaos;

import dev.datasync.shared.testing.ChaosTarget;
import dev.datasync.shared.testing.ChaosTarget.Outcome;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The chaos test's judgement on small, hand-made histories: what counts as lost, inverted, duplicated. */
public class ChaosVerdictTest {

    private final List<ChaosTarget.Call> calls = new ArrayList<>();

    private void call(String lane, int seq, String syncId, Outcome outcome) {
        byte[] body = ("{\"source\":\"s\",\"lane\":\"" + lane + "\",\"seq\":" + seq + "}")
                .getBytes(StandardCharsets.UTF_8);
        calls.add(new ChaosTarget.Call(calls.size() + 1, "POST", "/chaos/s/" + lane,
                Map.of("idempotency-key", syncId), body, outcome, outcome == Outcome.ACCEPTED ? 200 : 503, 0));
    }

    private ChaosVerdict verdict(Map<MessageId, String> acknowledged, Map<String, String> deadLettered) {
        return new ChaosVerdict(acknowledged, calls, deadLettered, Set.of(), id -> !id.lane().equals("keyless"));
    }

    private static MessageId id(String lane, int seq) {
        return new MessageId("s", lane, seq);
    }

    @Test
    public void aRepeatUnderTheSameKeyIsNeitherAnInversionNorAForeignDuplicate() {
        call("k", 0, "a", Outcome.ACCEPTED);
        call("k", 1, "b", Outcome.SERVER_ERROR);
        call("k", 1, "b", Outcome.ACCEPTED);
        call("k", 0, "a", Outcome.ACCEPTED); // a redelivered batch: the target ignores the known key
        ChaosVerdict v = verdict(Map.of(id("k", 0), "a", id("k", 1), "b"), Map.of());
        assertEquals(List.of(), v.inversions());
        assertEquals(List.of(), v.foreignDuplicates());
        assertEquals(Map.of(), v.lost());
        assertTrue(v.figures(), v.figures().contains("duplicates: 1 of 3 deliveries"));
    }

    @Test
    public void aFirstAcceptanceBehindALaterMessageOfItsKeyIsAnInversion() {
        call("k", 1, "b", Outcome.ACCEPTED);
        call("k", 0, "a", Outcome.ACCEPTED);
        call("keyless", 1, "d", Outcome.ACCEPTED);
        call("keyless", 0, "c", Outcome.ACCEPTED);
        ChaosVerdict v = verdict(Map.of(id("k", 0), "a", id("k", 1), "b", id("keyless", 0), "c",
                id("keyless", 1), "d"), Map.of());
        assertEquals(List.of("s/k: #0 (a) accepted after #1"), v.inversions());
    }

    @Test
    public void aMessageItsClientGaveUpOnOwesNoOrder() {
        call("k", 1, "b", Outcome.ACCEPTED);
        call("k", 0, "unanswered", Outcome.ACCEPTED);
        assertEquals(List.of(), verdict(Map.of(id("k", 1), "b"), Map.of()).inversions());
    }

    @Test
    public void oneMessageUnderTwoKeysIsAForeignDuplicate() {
        call("k", 0, "a", Outcome.ACCEPTED);
        call("k", 0, "a2", Outcome.ACCEPTED);
        call("k", 1, "x", Outcome.ACCEPTED);
        ChaosVerdict v = verdict(Map.of(id("k", 0), "a", id("k", 1), "b"), Map.of());
        assertEquals(List.of("MessageId[source=s, lane=k, seq=0] accepted under [a, a2], acknowledged as a",
                "MessageId[source=s, lane=k, seq=1] accepted under [x], acknowledged as b"), v.foreignDuplicates());
    }

    @Test
    public void acknowledgedMeansDeliveredOrDeadLettered() {
        call("k", 0, "a", Outcome.SERVER_ERROR);
        call("k", 1, "b", Outcome.RESET);
        call("k", 2, "c", Outcome.ACCEPTED);
        ChaosVerdict v = verdict(Map.of(id("k", 0), "a", id("k", 1), "b", id("k", 2), "c"),
                Map.of("a", "scheduleExhausted"));
        assertEquals(Map.of(id("k", 1), "b"), v.lost());
    }
}
