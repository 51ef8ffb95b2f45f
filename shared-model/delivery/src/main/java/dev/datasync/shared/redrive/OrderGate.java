package dev.datasync.shared.redrive;

import dev.datasync.shared.routing.ErrorStreamEnvelope;
import dev.datasync.shared.routing.InboundMessage;

import java.util.List;

/**
 * Where per-key ordering plugs into a redrive pass: once per page the gate sees the page's candidates (the due
 * messages, before any is delivered: one state read per page), is asked for each whether it must wait (it is then
 * copied forward unchanged, in order), and hears how every message of the page was settled. The pass itself keeps
 * a key's order within the pass (a message waits while an earlier one of its key in this pass was not delivered);
 * the gate adds what it knows across batches, containers and restarts.
 */
public interface OrderGate {

    /** Adds nothing to the pass's own ordering. */
    OrderGate NONE = new OrderGate() {
    };

    /** A message of a page: as read, its envelope, and its key (sourceId, streamKey — both may be null). */
    record Candidate(InboundMessage message, ErrorStreamEnvelope envelope, String sourceId, String streamKey) {
    }

    /**
     * How a message of the pass was settled: delivered; copied forward unchanged (waiting); re-appended to this
     * stream with its next slot; moved to another redriven stream (held behind a message of its key there); ended
     * where nobody redrives it (the unrecoverable stream); dead-lettered.
     */
    enum Fate { DELIVERED, WAITING, REAPPENDED, MOVED, UNRECOVERABLE, DEAD_LETTERED }

    record Settled(Candidate candidate, Fate fate) {
    }

    /** Called once per page before {@link #mustWait}, with the page's well-formed messages in order. */
    default void beginPage(List<Candidate> page) {
    }

    default boolean mustWait(Candidate candidate) {
        return false;
    }

    /** Called once per page after every message of it is placed, before the pass commits. */
    default void settled(List<Settled> page) {
    }
}
