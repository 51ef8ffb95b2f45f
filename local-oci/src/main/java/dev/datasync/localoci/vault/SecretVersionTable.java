package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.SecretVersion.Stages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rows of {@code vault_secret_versions}: one per version of a secret (number, name, content, rotation stages,
 * creation time). Statements on the caller's connection, so they join the caller's transaction.
 */
final class SecretVersionTable {

    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS vault_secret_versions (secret_id TEXT NOT NULL,"
            + " version_number INTEGER NOT NULL, name TEXT, content TEXT NOT NULL, stages TEXT NOT NULL,"
            + " time_created INTEGER NOT NULL, PRIMARY KEY(secret_id, version_number))";

    private SecretVersionTable() {
    }

    /** Every version of the secret, oldest first. */
    static List<SecretVersionRecord> list(Connection c, String secretId) throws SQLException {
        List<SecretVersionRecord> out = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT version_number, name, content, stages, time_created"
                + " FROM vault_secret_versions WHERE secret_id = ? ORDER BY version_number")) {
            q.setString(1, secretId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new SecretVersionRecord(secretId, rs.getLong(1), rs.getString(2), rs.getString(3),
                            SecretVersionRecord.parseStages(rs.getString(4)), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    static void insert(Connection c, SecretVersionRecord v) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO vault_secret_versions(secret_id,"
                + " version_number, name, content, stages, time_created) VALUES (?,?,?,?,?,?)")) {
            insert.setString(1, v.secretId());
            insert.setLong(2, v.versionNumber());
            insert.setString(3, v.name());
            insert.setString(4, v.content());
            insert.setString(5, v.stagesText());
            insert.setLong(6, v.timeCreatedMillis());
            insert.executeUpdate();
        }
    }

    /** Writes the stage sets of {@code after} for the versions of {@code before} whose stages changed. */
    static void writeStages(Connection c, List<SecretVersionRecord> before, Map<Long, Set<Stages>> after)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE vault_secret_versions SET stages = ? WHERE secret_id = ? AND version_number = ?")) {
            for (SecretVersionRecord v : before) {
                Set<Stages> stages = after.get(v.versionNumber());
                if (!Objects.equals(stages, v.stages())) {
                    update.setString(1, v.withStages(stages).stagesText());
                    update.setString(2, v.secretId());
                    update.setLong(3, v.versionNumber());
                    update.executeUpdate();
                }
            }
        }
    }
}
