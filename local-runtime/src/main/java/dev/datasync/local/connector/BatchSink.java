package dev.datasync.local.connector;

import com.oracle.bmc.streaming.model.Message;

import java.util.List;

/**
 * A connector's target. {@link #deliver} either hands the whole batch over (return normally: the read position is
 * then committed) or throws (the same batch is offered again after a backoff).
 */
public interface BatchSink {

    void deliver(String streamName, String partition, List<Message> batch) throws Exception;

    /** Called on stop, after the last batch; flush nothing here that was not committed. */
    default void close() {
    }
}
