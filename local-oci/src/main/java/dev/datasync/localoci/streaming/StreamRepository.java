package dev.datasync.localoci.streaming;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.streaming.model.Stream;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.store.Store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Streams and stream pools in the store, with an id → stream cache for the data plane. */
final class StreamRepository {
    private static final ObjectMapper TAGS = new ObjectMapper();
    private final Store store;
    private final Map<String, StreamRecord> cache = new ConcurrentHashMap<>();

    StreamRepository(Store store) {
        this.store = store;
        store.schema(
                "CREATE TABLE IF NOT EXISTS stream_pools (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " compartment_id TEXT NOT NULL, time_created INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS streams (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
                        + " name TEXT NOT NULL, compartment_id TEXT NOT NULL, stream_pool_id TEXT NOT NULL,"
                        + " partitions INTEGER NOT NULL, retention_hours INTEGER NOT NULL, state TEXT NOT NULL,"
                        + " time_created INTEGER NOT NULL, freeform_tags TEXT, defined_tags TEXT)",
                "CREATE INDEX IF NOT EXISTS streams_by_pool ON streams(stream_pool_id, name)");
    }

    record Pool(String id, String name, String compartmentId) {}

    Pool findPool(String id) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, name, compartment_id FROM stream_pools WHERE id = ?")) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new Pool(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
                }
            }
        });
    }

    /** The pool called {@code name} in the compartment, created if missing (the default pool is "DefaultPool"). */
    Pool ensurePool(String name, String compartmentId, String newId, long now) {
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id FROM stream_pools WHERE name = ? AND compartment_id = ?")) {
                q.setString(1, name);
                q.setString(2, compartmentId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return new Pool(rs.getString(1), name, compartmentId);
                    }
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO stream_pools(id, name, compartment_id, time_created) VALUES (?,?,?,?)")) {
                insert.setString(1, newId);
                insert.setString(2, name);
                insert.setString(3, compartmentId);
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            return new Pool(newId, name, compartmentId);
        });
    }

    /** Inserts an ACTIVE stream; 409 if an active stream of that name exists in the pool. */
    StreamRecord create(String id, String name, Pool pool, int partitions, int retentionHours, long now,
                        Map<String, String> freeformTags, Map<String, Map<String, Object>> definedTags) {
        return store.write(c -> {
            if (findActiveByName(c, pool.id(), name) != null) {
                throw OciException.alreadyExists("A stream named '" + name + "' already exists in the stream pool");
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO streams(id, name, compartment_id, stream_pool_id, partitions, retention_hours, state,"
                            + " time_created, freeform_tags, defined_tags) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, pool.compartmentId());
                insert.setString(4, pool.id());
                insert.setInt(5, partitions);
                insert.setInt(6, retentionHours);
                insert.setString(7, Stream.LifecycleState.Active.getValue());
                insert.setLong(8, now);
                insert.setString(9, json(freeformTags));
                insert.setString(10, json(definedTags));
                insert.executeUpdate();
            }
            return load(c, id);
        });
    }

    StreamRecord findActiveByName(String poolId, String name) {
        return store.read(c -> findActiveByName(c, poolId, name));
    }

    private StreamRecord findActiveByName(Connection c, String poolId, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT id FROM streams WHERE stream_pool_id = ? AND name = ? AND state = ?")) {
            q.setString(1, poolId);
            q.setString(2, name);
            q.setString(3, Stream.LifecycleState.Active.getValue());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? load(c, rs.getString(1)) : null;
            }
        }
    }

    /** The stream, or 404 NotAuthorizedOrNotFound. */
    StreamRecord get(String id) {
        StreamRecord cached = cache.get(id);
        if (cached != null) {
            return cached;
        }
        StreamRecord loaded = store.read(c -> load(c, id));
        if (loaded == null) {
            throw OciException.notFound("Stream " + id + " not found or not authorized");
        }
        cache.put(id, loaded);
        return loaded;
    }

    /** An ACTIVE stream for the data plane, or 404. */
    StreamRecord getActive(String id) {
        StreamRecord stream = get(id);
        if (!stream.active()) {
            throw OciException.notFound("Stream " + id + " not found or not authorized");
        }
        return stream;
    }

    /** Marks the stream DELETED and drops its messages and groups in one transaction. */
    void delete(StreamRecord stream) {
        store.write(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE streams SET state = ? WHERE id = ?")) {
                u.setString(1, Stream.LifecycleState.Deleted.getValue());
                u.setString(2, stream.id());
                u.executeUpdate();
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM stream_messages WHERE seq = ?")) {
                d.setLong(1, stream.seq());
                d.executeUpdate();
            }
            try (PreparedStatement d = c.prepareStatement("DELETE FROM stream_group_offsets WHERE stream_id = ?")) {
                d.setString(1, stream.id());
                d.executeUpdate();
            }
            return null;
        });
        cache.remove(stream.id());
    }

    List<StreamRecord> all() {
        return store.read(c -> {
            List<StreamRecord> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM streams ORDER BY seq")) {
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(load(c, rs.getString(1)));
                    }
                }
            }
            return out;
        });
    }

    private static StreamRecord load(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT seq, id, name, compartment_id, stream_pool_id, partitions, retention_hours, state,"
                        + " time_created, freeform_tags, defined_tags FROM streams WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new StreamRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getInt(7), Stream.LifecycleState.create(rs.getString(8)),
                        rs.getLong(9), readTags(rs.getString(10), new TypeReference<Map<String, String>>() {}),
                        readTags(rs.getString(11), new TypeReference<Map<String, Map<String, Object>>>() {}));
            }
        }
    }

    private static String json(Object tags) {
        try {
            return tags == null ? null : TAGS.writeValueAsString(tags);
        } catch (IOException e) {
            throw OciException.invalidParameter("tags are not serializable");
        }
    }

    private static <T> T readTags(String json, TypeReference<T> type) throws SQLException {
        try {
            return TAGS.readValue(json == null ? "{}" : json, type);
        } catch (IOException e) {
            throw new SQLException("corrupt tags column", e);
        }
    }
}
