package dev.datasync.shared.delivery;

import java.util.List;

/**
 * Sends the outcome callbacks of a settled batch. Called only once the batch's outcomes are durable (its failures
 * placed in their streams), so a crash before it means the batch is delivered again and the callbacks fire again,
 * with the same {@code webhook-id}: at least once. Never throws and never changes a message's outcome.
 */
@FunctionalInterface
public interface CallbackSender {

    /** Sends nothing (a pipeline without callbacks, and tests). */
    CallbackSender NONE = (callbacks, deadline) -> {
    };

    /** Sends each callback with its own bounded retries, within {@code deadline}; returns when all have ended. */
    void send(List<Callback> callbacks, Deadline deadline);
}
