package dev.datasync.localoci.streaming;

import dev.datasync.localoci.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToLongFunction;

/**
 * Consumer groups. Committed positions are durable (store); partition reservations are in memory only (an
 * instance that stops heart-beating loses them after its timeout, and a restart starts with none).
 * Partitions are spread over the group's live instances in instance-name order (partition p → instance p mod n),
 * so a single instance holds every partition.
 */
final class ConsumerGroups {
    private final Store store;
    /** "streamId/group" → instance → reserved until (millis). */
    private final Map<String, Map<String, Long>> instances = new ConcurrentHashMap<>();

    ConsumerGroups(Store store) {
        this.store = store;
        store.schema("CREATE TABLE IF NOT EXISTS stream_group_offsets (stream_id TEXT NOT NULL,"
                + " group_name TEXT NOT NULL, part INTEGER NOT NULL, next_offset INTEGER NOT NULL,"
                + " committed INTEGER NOT NULL, PRIMARY KEY (stream_id, group_name, part))");
    }

    /** Position of a partition in a group: next offset to read, and whether a consumer committed it. */
    record Position(long nextOffset, boolean committed) {}

    boolean exists(StreamRecord stream, String group) {
        return !positions(stream, group).isEmpty();
    }

    /** Creates the group at the given start positions unless it exists (the type applies only on creation). */
    void ensure(StreamRecord stream, String group, IntToLongFunction initialPosition) {
        if (exists(stream, group)) {
            return;
        }
        Map<Integer, Long> initial = new HashMap<>();
        for (int p = 0; p < stream.partitions(); p++) {
            initial.put(p, initialPosition.applyAsLong(p));
        }
        store.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT OR IGNORE INTO stream_group_offsets"
                    + "(stream_id, group_name, part, next_offset, committed) VALUES (?,?,?,?,0)")) {
                for (Map.Entry<Integer, Long> e : initial.entrySet()) {
                    insert.setString(1, stream.id());
                    insert.setString(2, group);
                    insert.setInt(3, e.getKey());
                    insert.setLong(4, e.getValue());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    Map<Integer, Position> positions(StreamRecord stream, String group) {
        return store.read(c -> {
            Map<Integer, Position> out = new TreeMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT part, next_offset, committed FROM"
                    + " stream_group_offsets WHERE stream_id = ? AND group_name = ?")) {
                q.setString(1, stream.id());
                q.setString(2, group);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getInt(1), new Position(rs.getLong(2), rs.getInt(3) != 0));
                    }
                }
            }
            return out;
        });
    }

    /** Durably records the group's next offset for each given partition. */
    void commit(StreamRecord stream, String group, Map<Integer, Long> nextOffsets) {
        if (nextOffsets.isEmpty()) {
            return;
        }
        store.write(c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE stream_group_offsets SET next_offset = ?,"
                    + " committed = 1 WHERE stream_id = ? AND group_name = ? AND part = ? AND next_offset != ?")) {
                for (Map.Entry<Integer, Long> e : nextOffsets.entrySet()) {
                    u.setLong(1, e.getValue());
                    u.setString(2, stream.id());
                    u.setString(3, group);
                    u.setInt(4, e.getKey());
                    u.setLong(5, e.getValue()); // re-committing the same position is not a commit
                    u.addBatch();
                }
                u.executeBatch();
            }
            return null;
        });
    }

    /** Heart-beats {@code instance} and returns the partitions it holds now. */
    List<Integer> reserve(StreamRecord stream, String group, String instance, int timeoutMs, long now) {
        Map<String, Long> members = instances.computeIfAbsent(stream.id() + "/" + group, k -> new ConcurrentHashMap<>());
        synchronized (members) {
            members.put(instance, now + timeoutMs);
            members.values().removeIf(until -> until < now);
            return assigned(stream.partitions(), new ArrayList<>(new TreeMap<>(members).keySet()), instance);
        }
    }

    /** Partition → (instance, reserved until) of live reservations. */
    Map<Integer, Map.Entry<String, Long>> reservations(StreamRecord stream, String group, long now) {
        Map<String, Long> members = instances.getOrDefault(stream.id() + "/" + group, Map.of());
        Map<String, Long> live = new TreeMap<>();
        synchronized (members) {
            members.forEach((instance, until) -> {
                if (until >= now) {
                    live.put(instance, until);
                }
            });
        }
        List<String> names = new ArrayList<>(live.keySet());
        Map<Integer, Map.Entry<String, Long>> out = new TreeMap<>();
        for (int p = 0; p < stream.partitions() && !names.isEmpty(); p++) {
            String holder = names.get(p % names.size());
            out.put(p, Map.entry(holder, live.get(holder)));
        }
        return out;
    }

    private static List<Integer> assigned(int partitions, List<String> liveInstances, String instance) {
        List<Integer> mine = new ArrayList<>();
        int index = liveInstances.indexOf(instance);
        for (int p = 0; p < partitions; p++) {
            if (p % liveInstances.size() == index) {
                mine.add(p);
            }
        }
        return mine;
    }
}
