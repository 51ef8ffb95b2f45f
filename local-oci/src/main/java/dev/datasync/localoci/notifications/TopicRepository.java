package dev.datasync.localoci.notifications;

import dev.datasync.localoci.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Topics, their subscriptions, published messages and one delivery row per (message, subscription). The
 * delivery rows are the durable to-do list: a message is accepted only once they are committed, and a delivery
 * stays PENDING until its sink took it, so a restart resumes what was not delivered (at-least-once).
 */
final class TopicRepository {
    static final String PENDING = "PENDING";
    static final String DELIVERED = "DELIVERED";
    static final String FAILED = "FAILED";

    private final Store store;

    TopicRepository(Store store) {
        this.store = store;
        store.schema(
                "CREATE TABLE IF NOT EXISTS ons_topics (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " compartment_id TEXT NOT NULL, time_created INTEGER NOT NULL, UNIQUE(compartment_id, name))",
                "CREATE TABLE IF NOT EXISTS ons_subscriptions (id TEXT PRIMARY KEY, topic_id TEXT NOT NULL,"
                        + " protocol TEXT NOT NULL, endpoint TEXT NOT NULL, time_created INTEGER NOT NULL,"
                        + " UNIQUE(topic_id, protocol, endpoint))",
                "CREATE TABLE IF NOT EXISTS ons_messages (message_id TEXT PRIMARY KEY, topic_id TEXT NOT NULL,"
                        + " title TEXT, body TEXT NOT NULL, message_type TEXT, time_published INTEGER NOT NULL)",
                "CREATE TABLE IF NOT EXISTS ons_deliveries (message_id TEXT NOT NULL, subscription_id TEXT NOT NULL,"
                        + " state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt INTEGER NOT NULL,"
                        + " last_error TEXT, PRIMARY KEY(message_id, subscription_id))",
                "CREATE INDEX IF NOT EXISTS ons_deliveries_due ON ons_deliveries(state, next_attempt)");
    }

    record Topic(String id, String name, String compartmentId, long timeCreatedMillis) {}

    record Subscription(String id, String topicId, String protocol, String endpoint) {}

    record Message(String messageId, String topicId, String title, String body, String messageType,
                   long timePublishedMillis) {}

    /** A delivery to do: the message, where it goes, and how often it was tried. */
    record Delivery(Message message, Subscription subscription, int attempts) {}

    Topic ensureTopic(String name, String compartmentId, Supplier<String> newId, long now) {
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, time_created FROM ons_topics WHERE compartment_id = ? AND name = ?")) {
                q.setString(1, compartmentId);
                q.setString(2, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return new Topic(rs.getString(1), name, compartmentId, rs.getLong(2));
                    }
                }
            }
            String id = newId.get();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO ons_topics(id, name, compartment_id, time_created) VALUES (?,?,?,?)")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, compartmentId);
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            return new Topic(id, name, compartmentId, now);
        });
    }

    Subscription ensureSubscription(String topicId, String protocol, String endpoint, Supplier<String> newId,
                                    long now) {
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id FROM ons_subscriptions WHERE topic_id = ? AND protocol = ? AND endpoint = ?")) {
                q.setString(1, topicId);
                q.setString(2, protocol);
                q.setString(3, endpoint);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return new Subscription(rs.getString(1), topicId, protocol, endpoint);
                    }
                }
            }
            String id = newId.get();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ons_subscriptions(id, topic_id,"
                    + " protocol, endpoint, time_created) VALUES (?,?,?,?,?)")) {
                insert.setString(1, id);
                insert.setString(2, topicId);
                insert.setString(3, protocol);
                insert.setString(4, endpoint);
                insert.setLong(5, now);
                insert.executeUpdate();
            }
            return new Subscription(id, topicId, protocol, endpoint);
        });
    }

    Topic findTopic(String id) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, name, compartment_id, time_created FROM ons_topics WHERE id = ?")) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new Topic(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)) : null;
                }
            }
        });
    }

    /** Stores the message and a PENDING delivery per subscription of its topic, in one transaction. */
    List<Subscription> publish(Message m, long firstAttemptMillis) {
        return store.write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ons_messages(message_id, topic_id,"
                    + " title, body, message_type, time_published) VALUES (?,?,?,?,?,?)")) {
                insert.setString(1, m.messageId());
                insert.setString(2, m.topicId());
                insert.setString(3, m.title());
                insert.setString(4, m.body());
                insert.setString(5, m.messageType());
                insert.setLong(6, m.timePublishedMillis());
                insert.executeUpdate();
            }
            List<Subscription> subscriptions = subscriptions(c, m.topicId());
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO ons_deliveries(message_id,"
                    + " subscription_id, state, attempts, next_attempt) VALUES (?,?,?,0,?)")) {
                for (Subscription s : subscriptions) {
                    insert.setString(1, m.messageId());
                    insert.setString(2, s.id());
                    insert.setString(3, PENDING);
                    insert.setLong(4, firstAttemptMillis);
                    insert.executeUpdate();
                }
            }
            return subscriptions;
        });
    }

    private static List<Subscription> subscriptions(Connection c, String topicId) throws SQLException {
        List<Subscription> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(
                "SELECT id, topic_id, protocol, endpoint FROM ons_subscriptions WHERE topic_id = ? ORDER BY id")) {
            q.setString(1, topicId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Subscription(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** PENDING deliveries due at {@code nowMillis}, oldest first; {@code onlyMessage} narrows to one message. */
    List<Delivery> due(long nowMillis, String onlyMessage, int max) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT m.message_id, m.topic_id, m.title, m.body,"
                    + " m.message_type, m.time_published, s.id, s.protocol, s.endpoint, d.attempts"
                    + " FROM ons_deliveries d JOIN ons_messages m ON m.message_id = d.message_id"
                    + " JOIN ons_subscriptions s ON s.id = d.subscription_id"
                    + " WHERE d.state = ? AND d.next_attempt <= ? AND (? IS NULL OR d.message_id = ?)"
                    + " ORDER BY m.time_published, m.message_id LIMIT ?")) {
                q.setString(1, PENDING);
                q.setLong(2, nowMillis);
                q.setString(3, onlyMessage);
                q.setString(4, onlyMessage);
                q.setInt(5, max);
                List<Delivery> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        Message m = new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6));
                        out.add(new Delivery(m, new Subscription(rs.getString(7), m.topicId(), rs.getString(8),
                                rs.getString(9)), rs.getInt(10)));
                    }
                }
                return out;
            }
        });
    }

    void markDelivered(Delivery d) {
        record(d, DELIVERED, d.attempts() + 1, 0, null);
    }

    void markRetry(Delivery d, long nextAttemptMillis, String error) {
        record(d, PENDING, d.attempts() + 1, nextAttemptMillis, error);
    }

    void markFailed(Delivery d, String error) {
        record(d, FAILED, d.attempts() + 1, 0, error);
    }

    private void record(Delivery d, String state, int attempts, long nextAttempt, String error) {
        store.write(c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE ons_deliveries SET state = ?, attempts = ?,"
                    + " next_attempt = ?, last_error = ? WHERE message_id = ? AND subscription_id = ?")) {
                update.setString(1, state);
                update.setInt(2, attempts);
                update.setLong(3, nextAttempt);
                update.setString(4, error);
                update.setString(5, d.message().messageId());
                update.setString(6, d.subscription().id());
                update.executeUpdate();
            }
            return null;
        });
    }

    /** State of one delivery (for tests and the admin view), or null. */
    String deliveryState(String messageId, String subscriptionId) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT state FROM ons_deliveries WHERE message_id = ? AND subscription_id = ?")) {
                q.setString(1, messageId);
                q.setString(2, subscriptionId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
