package dev.datasync.localoci.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.datasync.localoci.http.Json;
import dev.datasync.localoci.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Posted datapoints, one row each, with their metric stream's identity (compartment, namespace, name, resource group,
 * dimensions) kept as columns: the dimensions as JSON with sorted keys, so one stream has one text. Written in one
 * transaction per PostMetricData, committed before the answer.
 */
final class MetricRepository {

    private static final TypeReference<TreeMap<String, String>> DIMENSIONS = new TypeReference<>() {
    };

    private final Store store;

    MetricRepository(Store store) {
        this.store = store;
        store.schema(
                "CREATE TABLE IF NOT EXISTS mon_datapoints (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " compartment_id TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,"
                        + " resource_group TEXT, dimensions TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL,"
                        + " count INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS mon_datapoints_metric ON mon_datapoints(namespace, name, compartment_id, ts)");
    }

    /** One datapoint of one metric stream. */
    record Point(String compartmentId, String namespace, String name, String resourceGroup,
                 Map<String, String> dimensions, long timestampMillis, double value, int count) {
    }

    void insert(List<Point> points) {
        store.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO mon_datapoints(compartment_id, namespace,"
                    + " name, resource_group, dimensions, ts, value, count) VALUES (?,?,?,?,?,?,?,?)")) {
                for (Point p : points) {
                    insert.setString(1, p.compartmentId());
                    insert.setString(2, p.namespace());
                    insert.setString(3, p.name());
                    if (p.resourceGroup() == null) {
                        insert.setNull(4, Types.VARCHAR);
                    } else {
                        insert.setString(4, p.resourceGroup());
                    }
                    insert.setString(5, dimensionsText(p.dimensions()));
                    insert.setLong(6, p.timestampMillis());
                    insert.setDouble(7, p.value());
                    insert.setInt(8, p.count());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * The datapoints of a metric in {@code [fromMillis, toMillis)}, oldest first. A null resource group matches
     * only datapoints posted without one, as in OCI.
     */
    List<Point> find(String compartmentId, String namespace, String name, String resourceGroup, long fromMillis,
                     long toMillis) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT resource_group, dimensions, ts, value, count"
                    + " FROM mon_datapoints WHERE namespace = ? AND name = ? AND compartment_id = ?"
                    + " AND resource_group IS ? AND ts >= ? AND ts < ? ORDER BY ts, id")) {
                q.setString(1, namespace);
                q.setString(2, name);
                q.setString(3, compartmentId);
                if (resourceGroup == null) {
                    q.setNull(4, Types.VARCHAR);
                } else {
                    q.setString(4, resourceGroup);
                }
                q.setLong(5, fromMillis);
                q.setLong(6, toMillis);
                List<Point> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Point(compartmentId, namespace, name, rs.getString(1), dimensions(rs.getString(2)),
                                rs.getLong(3), rs.getDouble(4), rs.getInt(5)));
                    }
                }
                return out;
            }
        });
    }

    private static String dimensionsText(Map<String, String> dimensions) {
        try {
            return Json.mapper().writeValueAsString(new TreeMap<>(dimensions));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dimensions are plain strings", e);
        }
    }

    private static Map<String, String> dimensions(String text) {
        try {
            return Json.mapper().readValue(text, DIMENSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored dimensions are JSON", e);
        }
    }
}
