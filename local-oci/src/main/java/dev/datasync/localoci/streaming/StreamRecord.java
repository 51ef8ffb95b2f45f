package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.model.Stream;

import java.util.Map;

/** A stream as stored. {@code seq} is the compact internal key of its messages. */
record StreamRecord(long seq, String id, String name, String compartmentId, String streamPoolId, int partitions,
                    int retentionInHours, Stream.LifecycleState state, long timeCreatedMillis,
                    Map<String, String> freeformTags, Map<String, Map<String, Object>> definedTags) {

    boolean active() {
        return state == Stream.LifecycleState.Active;
    }

    long retentionMillis() {
        return retentionInHours * 3_600_000L;
    }
}
