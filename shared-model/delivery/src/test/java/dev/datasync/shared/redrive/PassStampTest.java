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
 * What the redrive writes on a message it did not deliver: a held-back message keeps its slot while young, and is
 * dead-lettered ({@code maxAge}) once past {@code redrive_max_age} like any other — a hold must not keep a message
 * out of the DeadLetterStream for ever.
 */
public class PassStampTest {

    private static final String STREAM = TestConfigs.UNAVAILABLE;
    private final DataSyncConfig config = DataSyncConfig.from(TestConfigs.with("redrive_max_age", "1h"));
    private final PassStamp stamp = new PassStamp(new RedriveSchedule(config.redrive()), STREAM);
    private final Instant now = Instant.parse("2026-12-07T10:00:00Z");

    private static ObjectNode envelope(Instant firstFailedAt, Instant nextAttemptAt) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put(PipelineFields.FIRST_FAILED_AT, firstFailedAt.toString());
        e.put(PipelineFields.NEXT_ATTEMPT_AT, nextAttemptAt.toString());
        e.put(PipelineFields.REDRIVE_COUNT, 2);
        return e;
    }

    private DeliveryOutcome heldBack() {
        DeliveryOutcome blocker = DeliveryOutcome.failed(1, Failure.of(FailureKind.TIMEOUT, "slow"), now);
        return DeliveryOutcome.heldBackBehind(blocker, "blocker-1", now);
    }

    @Test
    public void aYoungHeldBackMessageKeepsItsSlotAndStays() {
        ObjectNode e = envelope(now.minus(Duration.ofMinutes(10)), now.minusSeconds(5));
        assertEquals(STREAM, stamp.stamp(e, STREAM, heldBack()));
        assertEquals(2, e.get(PipelineFields.REDRIVE_COUNT).asInt());
        assertEquals(now.minusSeconds(5).toString(), e.get(PipelineFields.NEXT_ATTEMPT_AT).asText());
        assertFalse(e.has(PipelineFields.DEAD_LETTER_REASON));
    }

    @Test
    public void aHeldBackMessagePastItsMaxAgeIsDeadLettered() {
        ObjectNode e = envelope(now.minus(Duration.ofMinutes(61)), now.minusSeconds(5));
        assertEquals(config.redrive().deadLetterStream(), stamp.stamp(e, STREAM, heldBack()));
        assertEquals("maxAge", e.get(PipelineFields.DEAD_LETTER_REASON).asText());
    }
}
