package dev.datasync.local.stack;

import java.util.List;

/**
 * The names of the stack's connectors, spelled once: each keeps its committed positions under its name
 * ({@code <data dir>/connectors/<name>.json}), so the status report finds them by the same names.
 */
public final class ConnectorNames {

    /** DataSyncStream → read-data-stream-fn. */
    public static final String DATA_STREAM_TO_READ = "DataSyncStreamToReadDataStream";

    private ConnectorNames() {
    }

    /** An error stream's or the dead-letter stream's connector to the Notifications topic. */
    public static String toNotifications(String streamName) {
        return streamName + "ToNotifications";
    }

    /** An error stream's or the dead-letter stream's connector to the archive bucket. */
    public static String toArchive(String streamName) {
        return streamName + "ToArchive";
    }

    /** The connectors that read a stream, by the stream's name. */
    public static List<String> readersOf(String streamName, boolean dataStream) {
        return dataStream ? List.of(DATA_STREAM_TO_READ) : List.of(toNotifications(streamName), toArchive(streamName));
    }
}
