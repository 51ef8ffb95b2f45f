package dev.datasync.localoci.streaming;

import dev.datasync.localoci.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions' messages. Appends run on the store's single writer, so offsets per partition are assigned
 * contiguously and strictly increasing even under concurrent producers; the next offset of each partition is
 * cached and the cache is dropped if a transaction does not commit. Reads never see retention-expired
 * messages, whether or not the trimmer has deleted them yet.
 */
final class MessageLog {
    private final Store store;
    /** "seq/partition" → next offset; only touched under the store's write lock. */
    private final Map<String, Long> nextOffsets = new ConcurrentHashMap<>();

    MessageLog(Store store) {
        this.store = store;
        store.schema("CREATE TABLE IF NOT EXISTS stream_messages (seq INTEGER NOT NULL, part INTEGER NOT NULL,"
                + " off INTEGER NOT NULL, ts INTEGER NOT NULL, msg_key BLOB, msg_value BLOB NOT NULL,"
                + " PRIMARY KEY (seq, part, off))",
                "CREATE INDEX IF NOT EXISTS stream_messages_by_time ON stream_messages(seq, part, ts)");
    }

    /** A message to append. */
    record Append(int partition, byte[] key, byte[] value) {}

    /** A stored message. */
    record Stored(int partition, long offset, long timestamp, byte[] key, byte[] value) {}

    /** Appends all messages in ONE committed transaction; returns their offsets in input order. */
    long[] append(StreamRecord stream, List<Append> messages, long timestamp) {
        return store.write(c -> {
            long[] offsets = new long[messages.size()];
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO stream_messages(seq, part, off, ts, msg_key, msg_value) VALUES (?,?,?,?,?,?)")) {
                for (int i = 0; i < messages.size(); i++) {
                    Append m = messages.get(i);
                    String cacheKey = stream.seq() + "/" + m.partition();
                    Long next = nextOffsets.get(cacheKey);
                    if (next == null) {
                        next = endOffset(c, stream.seq(), m.partition());
                    }
                    offsets[i] = next;
                    nextOffsets.put(cacheKey, next + 1);
                    insert.setLong(1, stream.seq());
                    insert.setInt(2, m.partition());
                    insert.setLong(3, next);
                    insert.setLong(4, timestamp);
                    insert.setBytes(5, m.key());
                    insert.setBytes(6, m.value());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return offsets;
        }, nextOffsets::clear);
    }

    /** Offset the next appended message of the partition will get. */
    long endOffset(StreamRecord stream, int partition) {
        Long cached = nextOffsets.get(stream.seq() + "/" + partition);
        if (cached != null) {
            return cached;
        }
        return store.read(c -> endOffset(c, stream.seq(), partition));
    }

    private static long endOffset(Connection c, long seq, int partition) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT MAX(off) FROM stream_messages WHERE seq = ? AND part = ?")) {
            q.setLong(1, seq);
            q.setInt(2, partition);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                long max = rs.getLong(1);
                return rs.wasNull() ? 0 : max + 1;
            }
        }
    }

    /**
     * Offset of the oldest message still within retention (the trim horizon), or the end offset if none is.
     * Note: a partition emptied by DeleteStream is not reused, so "no rows" means "nothing retained".
     */
    long trimHorizon(StreamRecord stream, int partition, long now) {
        long end = endOffset(stream, partition);
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT MIN(off) FROM stream_messages WHERE seq = ? AND part = ? AND ts >= ?")) {
                q.setLong(1, stream.seq());
                q.setInt(2, partition);
                q.setLong(3, now - stream.retentionMillis());
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    long min = rs.getLong(1);
                    return rs.wasNull() ? end : min;
                }
            }
        });
    }

    /** Offset of the first retained message at or after {@code time}, or the end offset if none. */
    long offsetAtTime(StreamRecord stream, int partition, long time, long now) {
        long end = endOffset(stream, partition);
        long from = Math.max(time, now - stream.retentionMillis());
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT MIN(off) FROM stream_messages WHERE seq = ? AND part = ? AND ts >= ?")) {
                q.setLong(1, stream.seq());
                q.setInt(2, partition);
                q.setLong(3, from);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    long min = rs.getLong(1);
                    return rs.wasNull() ? end : min;
                }
            }
        });
    }

    /**
     * Up to {@code limit} retained messages from {@code fromOffset} on, stopping once {@code maxBytes} of keys and
     * values are collected (at least one message is returned if any is available).
     */
    List<Stored> read(StreamRecord stream, int partition, long fromOffset, int limit, long maxBytes, long now) {
        return store.read(c -> {
            List<Stored> out = new ArrayList<>(Math.min(limit, 1024));
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT off, ts, msg_key, msg_value FROM stream_messages"
                            + " WHERE seq = ? AND part = ? AND off >= ? AND ts >= ? ORDER BY off LIMIT ?")) {
                q.setLong(1, stream.seq());
                q.setInt(2, partition);
                q.setLong(3, fromOffset);
                q.setLong(4, now - stream.retentionMillis());
                q.setInt(5, limit);
                long bytes = 0;
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        byte[] key = rs.getBytes(3);
                        byte[] value = rs.getBytes(4);
                        bytes += value.length + (key == null ? 0 : key.length);
                        if (bytes > maxBytes && !out.isEmpty()) {
                            break;
                        }
                        out.add(new Stored(partition, rs.getLong(1), rs.getLong(2), key, value));
                    }
                }
            }
            return out;
        });
    }

    /** Deletes messages older than the stream's retention (the highest offset of a partition is kept, so the
     * next offset survives a restart even when everything is expired). Returns the number deleted. */
    int trim(StreamRecord stream, long now) {
        return store.write(c -> {
            try (PreparedStatement d = c.prepareStatement(
                    "DELETE FROM stream_messages WHERE seq = ? AND ts < ? AND off < (SELECT MAX(m.off) FROM"
                            + " stream_messages m WHERE m.seq = stream_messages.seq AND m.part = stream_messages.part)")) {
                d.setLong(1, stream.seq());
                d.setLong(2, now - stream.retentionMillis());
                return d.executeUpdate();
            }
        });
    }
}
