package dev.datasync.localoci.streaming;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses a message's partition on the server, as OCI does: the same key always maps to the same partition
 * (a stable hash; OCI's own hash is not documented), a null key to a random partition.
 */
final class Partitioner {
    private Partitioner() {}

    static int partitionFor(byte[] key, int partitions) {
        if (key == null) {
            return ThreadLocalRandom.current().nextInt(partitions);
        }
        return Math.floorMod(Arrays.hashCode(key), partitions);
    }
}
