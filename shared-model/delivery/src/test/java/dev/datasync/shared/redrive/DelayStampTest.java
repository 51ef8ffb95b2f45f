package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.contract.PipelineFields;
import dev.datasync.shared.delivery.internal.DeliveryOutcome;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.testing.TestConfigs;
import org.junit.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

/**
 * A delayed message's redrive fields: routed first (ReadDataStream) or read early again (the redrive), it waits for its
 * deliverAfter without a slot used and without its max age running; its first try when due that fails starts the
 * schedule at the first slot, its max age counted from deliverAfter — so a long delay never dead-letters it early.
 */
public class DelayStampTest {

    private static final String STREAM = TestConfigs.UNAVAILABLE;
    private final DataSyncConfig config = DataSyncConfig.from(settings());
    private final PassStamp pass = new PassStamp(new RedriveSchedule(config.redrive()), STREAM);
    private final ScheduleStamp first = new ScheduleStamp(config.redrive());
    private final Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private final Instant due = now.plus(Duration.ofMinutes(50));

    private static java.util.Map<String, String> settings() {
        java.util.Map<String, String> m = TestConfigs.with("redrive_max_age", "1h");
        m.put("redrive_schedule", "1m,5m,30m");
        return m;
    }

    private ObjectNode message() {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("syncId", "s-1");
        e.put("deliverAfter", "2026-12-07T11:50:00+01:00"); // = due
        return e;
    }

    private DeliveryOutcome delayed(Instant at) {
        return DeliveryOutcome.failed(0, Failure.of(FailureKind.DELAYED, "not yet"), at);
    }

    @Test
    public void aDelayedMessageWaitsForItsDeliverAfterWithoutUsingASlot() {
        ObjectNode e = message();
        assertEquals(STREAM, first.stamp(e, STREAM, delayed(now)));
        assertEquals(due.toString(), e.get(PipelineFields.NEXT_ATTEMPT_AT).asText());
        assertEquals(due.toString(), e.get(PipelineFields.DELAYED_UNTIL).asText());
        assertEquals(due.toString(), e.get(PipelineFields.FIRST_FAILED_AT).asText());
        assertEquals(0, e.get(PipelineFields.REDRIVE_COUNT).asInt());
    }

    @Test
    public void readAgainBeforeItsTimeItStaysWithItsDeliverAfter() {
        ObjectNode e = message();
        first.stamp(e, STREAM, delayed(now));
        assertEquals(STREAM, pass.stamp(e, STREAM, delayed(now.plusSeconds(30))));
        assertEquals(due.toString(), e.get(PipelineFields.NEXT_ATTEMPT_AT).asText());
        assertFalse(e.has(PipelineFields.DEAD_LETTER_REASON));
    }

    @Test
    public void itsFirstTryWhenDueStartsTheScheduleAndItsMaxAgeFromDeliverAfter() {
        ObjectNode e = message();
        first.stamp(e, STREAM, delayed(now));
        Instant tried = due.plusSeconds(2);
        DeliveryOutcome failed = DeliveryOutcome.failed(1, Failure.status(503, "HTTP 503"), tried);
        // 50 minutes after acceptance, with a 1 h max age: still redriven, from the first slot
        assertEquals(STREAM, pass.stamp(e, STREAM, failed));
        assertEquals(0, e.get(PipelineFields.REDRIVE_COUNT).asInt());
        assertEquals(tried.plus(Duration.ofMinutes(1)).toString(), e.get(PipelineFields.NEXT_ATTEMPT_AT).asText());
        assertFalse(e.has(PipelineFields.DELAYED_UNTIL));
        // the next failure counts as a redrive try, as for any message
        assertEquals(STREAM, pass.stamp(e, STREAM, DeliveryOutcome.failed(1, Failure.status(503, "HTTP 503"),
                tried.plus(Duration.ofMinutes(1)))));
        assertEquals(1, e.get(PipelineFields.REDRIVE_COUNT).asInt());
        assertEquals(tried.plus(Duration.ofMinutes(6)).toString(), e.get(PipelineFields.NEXT_ATTEMPT_AT).asText());
    }
}
