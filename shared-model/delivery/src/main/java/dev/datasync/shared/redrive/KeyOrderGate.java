package dev.datasync.shared.redrive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.contract.StreamMessage;
import dev.datasync.shared.ordering.KeyOrder;
import dev.datasync.shared.ordering.KeyRef;
import dev.datasync.shared.ordering.Settlement;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells the held keys about the messages a redrive pass ends outside the pipeline: a message dead-lettered because
 * it grew too old while it waited (not due, or behind its key) never reaches the pipeline, whose ordering settles
 * every other outcome. Without this its key would stay held behind it and the messages behind it would be re-queued
 * for ever. One state write per page, and only for a page that ended such a keyed message.
 */
public final class KeyOrderGate implements OrderGate {

    private final KeyOrder ordering;

    public KeyOrderGate(KeyOrder ordering) {
        this.ordering = ordering;
    }

    @Override
    public void settled(List<Settled> page) {
        if (!ordering.enabled()) {
            return;
        }
        List<Settlement> ended = new ArrayList<>();
        for (Settled s : page) {
            Candidate c = s.candidate();
            JsonNode syncId = c.envelope().node().get(StreamMessage.SYNC_ID);
            if (s.fate() == Fate.DEAD_LETTERED && c.streamKey() != null && syncId != null && syncId.isTextual()) {
                ended.add(Settlement.ended(new KeyRef(c.sourceId(), c.streamKey()), syncId.asText()));
            }
        }
        if (!ended.isEmpty()) {
            ordering.begin().settle(ended);
        }
    }
}
