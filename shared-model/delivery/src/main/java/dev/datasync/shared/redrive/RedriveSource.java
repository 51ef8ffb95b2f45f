package dev.datasync.shared.redrive;

import java.util.List;
import java.util.Set;

/**
 * Where a redrive pass reads an error stream: through a consumer group, so each pass continues where the last one
 * committed, up to the stream's end as it was when the pass opened it. On OCI:
 * {@code dev.datasync.shared.oci.ConsumerGroupSource} (CreateGroupCursor with commit-on-get off, GetMessages,
 * ConsumerCommit). Reading and committing throw {@code StreamUnavailableException} when Streaming cannot be
 * reached.
 */
public interface RedriveSource {

    Reading open(String streamOcid, String group);

    /** One pass over one stream. */
    interface Reading extends AutoCloseable {

        /**
         * Whether this reader holds any partition of the stream (in a group a partition is read by one instance at a
         * time: another container's pass may hold them all).
         */
        boolean holdsPartitions();

        /** The partitions this reader holds: every message it hands over is of one of them. */
        Set<String> partitions();

        /**
         * The next page (offset order within each partition); empty when nothing more was there when the pass
         * opened the stream. A page may end with messages appended since (the last one is read whole).
         */
        List<Message> next();

        /** Whether everything that was in the stream when the pass opened it has been handed over. */
        boolean reachedTip();

        /** Commits every message handed over so far: the group's next pass starts after them. */
        void commit();

        @Override
        void close();
    }

    /** One stored message: its partition, offset, key (null for none) and value. */
    record Message(String partition, long offset, byte[] key, byte[] value) {
    }
}
