package dev.datasync.localoci.objectstorage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.store.Store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Buckets and objects (bytes as SQLite blobs) of the one namespace the emulator serves. */
final class ObjectRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INFO_COLUMNS = "bucket, name, size, md5, etag, content_type, content_encoding,"
            + " content_language, content_disposition, cache_control, metadata, time_created, time_modified";

    private final Store store;

    ObjectRepository(Store store) {
        this.store = store;
        store.schema(
                "CREATE TABLE IF NOT EXISTS os_buckets (name TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                        + " compartment_id TEXT NOT NULL, time_created INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS os_objects (bucket TEXT NOT NULL, name TEXT NOT NULL,"
                        + " size INTEGER NOT NULL, md5 TEXT NOT NULL, etag TEXT NOT NULL, content_type TEXT,"
                        + " content_encoding TEXT, content_language TEXT, content_disposition TEXT,"
                        + " cache_control TEXT, metadata TEXT, time_created INTEGER NOT NULL,"
                        + " time_modified INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(bucket, name))");
        // data directories made before buckets had the setting
        store.write(c -> {
            boolean present = false;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(os_buckets)")) {
                while (rs.next()) {
                    present |= "object_events_enabled".equals(rs.getString("name"));
                }
            }
            if (!present) {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER TABLE os_buckets ADD COLUMN object_events_enabled INTEGER NOT NULL DEFAULT 0");
                }
            }
            return null;
        });
    }

    /** @param objectEventsEnabled whether object changes emit events (OCI's {@code objectEventsEnabled}) */
    record Bucket(String name, String id, String compartmentId, long timeCreatedMillis, boolean objectEventsEnabled) {}

    /** The bucket, created when missing; its object-events setting is the declaration's (which is applied each start). */
    Bucket ensureBucket(String name, String compartmentId, String newId, long now, boolean objectEventsEnabled) {
        return store.write(c -> {
            Bucket existing = findBucket(c, name);
            if (existing != null) {
                try (PreparedStatement update = c.prepareStatement(
                        "UPDATE os_buckets SET object_events_enabled = ? WHERE name = ?")) {
                    update.setInt(1, objectEventsEnabled ? 1 : 0);
                    update.setString(2, name);
                    update.executeUpdate();
                }
                return new Bucket(name, existing.id(), existing.compartmentId(), existing.timeCreatedMillis(),
                        objectEventsEnabled);
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO os_buckets(name, id, compartment_id,"
                    + " time_created, object_events_enabled) VALUES (?,?,?,?,?)")) {
                insert.setString(1, name);
                insert.setString(2, newId);
                insert.setString(3, compartmentId);
                insert.setLong(4, now);
                insert.setInt(5, objectEventsEnabled ? 1 : 0);
                insert.executeUpdate();
            }
            return new Bucket(name, newId, compartmentId, now, objectEventsEnabled);
        });
    }

    Bucket findBucket(String name) {
        return store.read(c -> findBucket(c, name));
    }

    private static Bucket findBucket(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT name, id, compartment_id, time_created,"
                + " object_events_enabled FROM os_buckets WHERE name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new Bucket(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getInt(5) != 0) : null;
            }
        }
    }

    /**
     * Writes the object if {@code precondition} accepts the current version (null when absent); the check and
     * the write are one transaction, so if-match / if-none-match cannot race.
     */
    ObjectInfo put(ObjectInfo info, byte[] data, Predicate<ObjectInfo> precondition) {
        return store.write(c -> {
            ObjectInfo existing = find(c, info.bucket(), info.name());
            if (!precondition.test(existing)) {
                return null;
            }
            ObjectInfo stored = existing == null ? info : new ObjectInfo(info.bucket(), info.name(), info.size(),
                    info.md5(), info.etag(), info.contentType(), info.contentEncoding(), info.contentLanguage(),
                    info.contentDisposition(), info.cacheControl(), info.metadata(), existing.timeCreatedMillis(),
                    info.timeModifiedMillis());
            try (PreparedStatement upsert = c.prepareStatement("INSERT OR REPLACE INTO os_objects(" + INFO_COLUMNS
                    + ", data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                upsert.setString(1, stored.bucket());
                upsert.setString(2, stored.name());
                upsert.setLong(3, stored.size());
                upsert.setString(4, stored.md5());
                upsert.setString(5, stored.etag());
                upsert.setString(6, stored.contentType());
                upsert.setString(7, stored.contentEncoding());
                upsert.setString(8, stored.contentLanguage());
                upsert.setString(9, stored.contentDisposition());
                upsert.setString(10, stored.cacheControl());
                upsert.setString(11, writeJson(stored.metadata()));
                upsert.setLong(12, stored.timeCreatedMillis());
                upsert.setLong(13, stored.timeModifiedMillis());
                upsert.setBytes(14, data);
                upsert.executeUpdate();
            }
            return stored;
        });
    }

    ObjectInfo find(String bucket, String name) {
        return store.read(c -> find(c, bucket, name));
    }

    /** The object's metadata and bytes read together (one snapshot), or null. */
    StoredObject read(String bucket, String name) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + INFO_COLUMNS
                    + ", data FROM os_objects WHERE bucket = ? AND name = ?")) {
                q.setString(1, bucket);
                q.setString(2, name);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new StoredObject(info(rs), rs.getBytes(14)) : null;
                }
            }
        });
    }

    record StoredObject(ObjectInfo info, byte[] data) {}

    /** Deletes if {@code precondition} accepts the current version; false if it did not. */
    boolean delete(String bucket, String name, Predicate<ObjectInfo> precondition) {
        return store.write(c -> {
            ObjectInfo existing = find(c, bucket, name);
            if (existing == null) {
                throw ObjectStorageErrors.objectNotFound(bucket, name);
            }
            if (!precondition.test(existing)) {
                return false;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM os_objects WHERE bucket = ? AND name = ?")) {
                delete.setString(1, bucket);
                delete.setString(2, name);
                delete.executeUpdate();
            }
            return true;
        });
    }

    /** What a rename did: the object as it now is under its new name, and whether that name held an object before. */
    record Renamed(ObjectInfo object, boolean replaced) {}

    /**
     * Renames {@code source} to {@code newName} (bytes and metadata move, the ETag stays) if {@code sourceCheck}
     * accepts the source and {@code targetCheck} the object now named {@code newName} (null when absent); one
     * transaction. Null when a check refused.
     */
    Renamed rename(String bucket, String source, String newName, Predicate<ObjectInfo> sourceCheck,
                   Predicate<ObjectInfo> targetCheck) {
        return store.write(c -> {
            ObjectInfo existing = find(c, bucket, source);
            if (existing == null) {
                throw ObjectStorageErrors.objectNotFound(bucket, source);
            }
            ObjectInfo target = find(c, bucket, newName);
            if (!sourceCheck.test(existing) || !targetCheck.test(target)) {
                return null;
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM os_objects WHERE bucket = ? AND name = ?")) {
                delete.setString(1, bucket);
                delete.setString(2, newName);
                delete.executeUpdate();
            }
            try (PreparedStatement move = c.prepareStatement(
                    "UPDATE os_objects SET name = ? WHERE bucket = ? AND name = ?")) {
                move.setString(1, newName);
                move.setString(2, bucket);
                move.setString(3, source);
                move.executeUpdate();
            }
            return new Renamed(find(c, bucket, newName), target != null);
        });
    }

    /** Objects of the bucket whose name is ≥ {@code from}, in name order, at most {@code max}. */
    List<ObjectInfo> listFrom(String bucket, String from, int max) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + INFO_COLUMNS
                    + " FROM os_objects WHERE bucket = ? AND name >= ? ORDER BY name LIMIT ?")) {
                q.setString(1, bucket);
                q.setString(2, from);
                q.setInt(3, max);
                List<ObjectInfo> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(info(rs));
                    }
                }
                return out;
            }
        });
    }

    private static ObjectInfo find(Connection c, String bucket, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + INFO_COLUMNS
                + " FROM os_objects WHERE bucket = ? AND name = ?")) {
            q.setString(1, bucket);
            q.setString(2, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? info(rs) : null;
            }
        }
    }

    private static ObjectInfo info(ResultSet rs) throws SQLException {
        return new ObjectInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                readJson(rs.getString(11)), rs.getLong(12), rs.getLong(13));
    }

    private static String writeJson(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> readJson(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("stored object metadata is unreadable", e);
        }
    }

}
