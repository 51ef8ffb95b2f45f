package dev.datasync.localoci.vault;

import dev.datasync.localoci.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.function.Supplier;

/**
 * Vaults and their master keys. They are created only by the declaration (the KMS management API is not
 * emulated); OCIDs are minted once and kept in the store, so they are stable across restarts.
 */
public final class VaultRepository {
    private final Store store;

    public VaultRepository(Store store) {
        this.store = store;
        store.schema(
                "CREATE TABLE IF NOT EXISTS vault_vaults (id TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " compartment_id TEXT NOT NULL, time_created INTEGER NOT NULL, UNIQUE(compartment_id, name))",
                "CREATE TABLE IF NOT EXISTS vault_keys (id TEXT PRIMARY KEY, vault_id TEXT NOT NULL,"
                        + " name TEXT NOT NULL, algorithm TEXT NOT NULL, time_created INTEGER NOT NULL,"
                        + " UNIQUE(vault_id, name))");
    }

    public record VaultRecord(String id, String name, String compartmentId) {}

    public record KeyRecord(String id, String vaultId, String name, String algorithm) {}

    /** The vault {@code name} in the compartment, created (with {@code newId}) if missing. */
    public VaultRecord ensureVault(String name, String compartmentId, Supplier<String> newId, long now) {
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id FROM vault_vaults WHERE compartment_id = ? AND name = ?")) {
                q.setString(1, compartmentId);
                q.setString(2, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return new VaultRecord(rs.getString(1), name, compartmentId);
                    }
                }
            }
            String id = newId.get();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO vault_vaults(id, name, compartment_id, time_created) VALUES (?,?,?,?)")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, compartmentId);
                insert.setLong(4, now);
                insert.executeUpdate();
            }
            return new VaultRecord(id, name, compartmentId);
        });
    }

    public KeyRecord ensureKey(String vaultId, String name, String algorithm, Supplier<String> newId, long now) {
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, algorithm FROM vault_keys WHERE vault_id = ? AND name = ?")) {
                q.setString(1, vaultId);
                q.setString(2, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return new KeyRecord(rs.getString(1), vaultId, name, rs.getString(2));
                    }
                }
            }
            String id = newId.get();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO vault_keys(id, vault_id, name, algorithm, time_created) VALUES (?,?,?,?,?)")) {
                insert.setString(1, id);
                insert.setString(2, vaultId);
                insert.setString(3, name);
                insert.setString(4, algorithm);
                insert.setLong(5, now);
                insert.executeUpdate();
            }
            return new KeyRecord(id, vaultId, name, algorithm);
        });
    }

    public VaultRecord findVault(String id) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, name, compartment_id FROM vault_vaults WHERE id = ?")) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? new VaultRecord(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
                }
            }
        });
    }

    public KeyRecord findKey(String id) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, vault_id, name, algorithm FROM vault_keys WHERE id = ?")) {
                q.setString(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next()
                            ? new KeyRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)) : null;
                }
            }
        });
    }
}
