package dev.datasync.local.connector;

import dev.datasync.shared.log.LogFields;
import com.oracle.bmc.model.BmcException;
import dev.datasync.local.log.RuntimeLog;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Logs a partition's read failures: every failure counts, the first of a run is logged at once, then at most one
 * line per {@link #LOG_INTERVAL} (with how many were not logged since), and the recovery.
 */
final class ReadFailureLog {

    private static final RuntimeLog LOG = RuntimeLog.of("connector");
    /** A partition whose reads keep failing logs one line per this interval, not one per attempt. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(30);

    private final String connector;
    private final String stream;
    private final String partition;
    private final Supplier<Long> position;
    private long failures;
    private long unlogged;
    private long lastLoggedNanos;

    /** @param position the offset reads continue after (null: the stream's trim horizon) */
    ReadFailureLog(String connector, String stream, String partition, Supplier<Long> position) {
        this.connector = connector;
        this.stream = stream;
        this.partition = partition;
        this.position = position;
    }

    void failed(RuntimeException e) {
        failures++;
        long now = System.nanoTime();
        if (failures > 1 && now - lastLoggedNanos < LOG_INTERVAL.toNanos()) {
            unlogged++;
            return;
        }
        lastLoggedNanos = now;
        Long after = position.get();
        BmcException b = e instanceof BmcException be ? be : null;
        LOG.warn("read_failed", "connector", connector, LogFields.STREAM, stream, LogFields.PARTITION, partition,
                LogFields.STATUS, b == null ? -1 : b.getStatusCode(),
                LogFields.CODE, b == null ? e.getClass().getSimpleName() : b.getServiceCode(),
                LogFields.REASON, shorten(b == null ? e.getMessage() : b.getUnmodifiedMessage()),
                "readAfterOffset", after == null ? "TRIM_HORIZON" : after,
                "failures", failures, "unloggedSinceLast", unlogged);
        unlogged = 0;
    }

    void recovered() {
        if (failures > 0) {
            LOG.info("read_recovered", "connector", connector, LogFields.STREAM, stream, LogFields.PARTITION, partition,
                    "failures", failures);
            failures = 0;
            unlogged = 0;
        }
    }

    private static String shorten(String m) {
        return m == null ? "" : m.length() > 300 ? m.substring(0, 300) : m;
    }
}
