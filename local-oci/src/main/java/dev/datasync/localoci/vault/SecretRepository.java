package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretVersion.Stages;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets and their versions in the store (the version rows through {@link SecretVersionTable}). Every change is
 * one transaction on the single writer, and the checks that decide it (name taken, etag, state, version names,
 * reuse rule) run inside that transaction, so concurrent requests cannot both win. Shared by the Vault (management)
 * and Secrets (retrieval) services.
 */
public final class SecretRepository {
    private static final String COLUMNS = "seq, id, vault_id, compartment_id, key_id, name, description, state,"
            + " time_created, time_of_deletion, current_version, rules, metadata, freeform_tags, defined_tags, revision";

    private final Store store;

    public SecretRepository(Store store) {
        this.store = store;
        store.schema(
                "CREATE TABLE IF NOT EXISTS vault_secrets (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " id TEXT NOT NULL UNIQUE, vault_id TEXT NOT NULL, compartment_id TEXT NOT NULL,"
                        + " key_id TEXT NOT NULL, name TEXT NOT NULL, description TEXT, state TEXT NOT NULL,"
                        + " time_created INTEGER NOT NULL, time_of_deletion INTEGER, current_version INTEGER NOT NULL,"
                        + " rules TEXT, metadata TEXT, freeform_tags TEXT, defined_tags TEXT,"
                        + " revision INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS vault_secrets_by_name ON vault_secrets(vault_id, name)",
                "CREATE INDEX IF NOT EXISTS vault_secrets_by_compartment ON vault_secrets(compartment_id)",
                SecretVersionTable.SCHEMA);
    }

    /** What CreateSecret asks for, already validated. */
    public record NewSecret(String id, String vaultId, String compartmentId, String keyId, String name,
                            String description, String content, String versionName, SecretRules rules,
                            String metadataJson, String freeformTagsJson, String definedTagsJson) {}

    /**
     * What UpdateSecret asks for; null fields stay unchanged. At most one of {@code newContent} and
     * {@code promoteTo} is set (checked by the API).
     */
    public record SecretUpdate(String description, String metadataJson, String freeformTagsJson,
                               String definedTagsJson, SecretRules rules, String newContent, String newVersionName,
                               boolean newVersionPending, Long promoteTo) {}

    public SecretRecord create(NewSecret n, long now) {
        return store.write(c -> {
            if (holderOfName(c, n.vaultId(), n.name(), now) != null) {
                throw OciException.conflict("A secret named '" + n.name() + "' already exists in the vault");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO vault_secrets(id, vault_id,"
                    + " compartment_id, key_id, name, description, state, time_created, time_of_deletion,"
                    + " current_version, rules, metadata, freeform_tags, defined_tags, revision)"
                    + " VALUES (?,?,?,?,?,?,?,?,NULL,1,?,?,?,?,1)")) {
                insert.setString(1, n.id());
                insert.setString(2, n.vaultId());
                insert.setString(3, n.compartmentId());
                insert.setString(4, n.keyId());
                insert.setString(5, n.name());
                insert.setString(6, n.description());
                insert.setString(7, Secret.LifecycleState.Active.getValue());
                insert.setLong(8, now);
                insert.setString(9, n.rules().toJson());
                insert.setString(10, n.metadataJson());
                insert.setString(11, n.freeformTagsJson());
                insert.setString(12, n.definedTagsJson());
                insert.executeUpdate();
            }
            SecretVersionTable.insert(c, new SecretVersionRecord(n.id(), 1, n.versionName(), n.content(),
                    Set.of(Stages.Current, Stages.Latest), now));
            return find(c, n.id());
        });
    }

    public SecretRecord update(String id, String ifMatch, long now, SecretUpdate u) {
        return store.write(c -> {
            SecretRecord secret = requireForChange(c, id, ifMatch);
            if (!secret.activeAt(now)) {
                throw OciException.incorrectState("Secret is " + secret.stateAt(now).getValue()
                        + "; only an ACTIVE secret can be updated");
            }
            SecretRules rules = u.rules() != null ? u.rules() : secret.rules();
            long current = secret.currentVersionNumber();
            List<SecretVersionRecord> versions = SecretVersionTable.list(c, id);
            if (u.newContent() != null) {
                checkNewVersion(versions, u, rules);
                long number = versions.get(versions.size() - 1).versionNumber() + 1;
                Map<Long, Set<Stages>> stages = SecretStages.afterNewVersion(versions, number, u.newVersionPending());
                SecretVersionTable.insert(c, new SecretVersionRecord(id, number, u.newVersionName(), u.newContent(),
                        stages.get(number), now));
                SecretVersionTable.writeStages(c, versions, stages);
                if (!u.newVersionPending()) {
                    current = number;
                }
            } else if (u.promoteTo() != null) {
                if (versions.stream().noneMatch(v -> v.versionNumber() == u.promoteTo())) {
                    throw OciException.invalidParameter("currentVersionNumber " + u.promoteTo()
                            + " is not a version of this secret");
                }
                SecretVersionTable.writeStages(c, versions, SecretStages.afterPromotion(versions, u.promoteTo()));
                current = u.promoteTo();
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE vault_secrets SET description = ?,"
                    + " metadata = ?, freeform_tags = ?, defined_tags = ?, rules = ?, current_version = ?,"
                    + " revision = revision + 1 WHERE id = ?")) {
                update.setString(1, u.description() != null ? u.description() : secret.description());
                update.setString(2, u.metadataJson() != null ? u.metadataJson() : secret.metadataJson());
                update.setString(3, u.freeformTagsJson() != null ? u.freeformTagsJson() : secret.freeformTagsJson());
                update.setString(4, u.definedTagsJson() != null ? u.definedTagsJson() : secret.definedTagsJson());
                update.setString(5, rules.toJson());
                update.setLong(6, current);
                update.setString(7, id);
                update.executeUpdate();
            }
            return find(c, id);
        });
    }

    private static void checkNewVersion(List<SecretVersionRecord> versions, SecretUpdate u, SecretRules rules) {
        if (u.newVersionName() != null
                && versions.stream().anyMatch(v -> u.newVersionName().equals(v.name()))) {
            // OCI's answer for a reused version name (seen in oracle/terraform-provider-oci#1913)
            throw OciException.invalidParameter("name already exists");
        }
        if (rules.reuseRuleEnforced() && versions.stream().anyMatch(v -> v.content().equals(u.newContent()))) {
            throw OciException.invalidParameter(
                    "The secret content was used by an earlier version and the secret reuse rule forbids reuse");
        }
    }

    public SecretRecord scheduleDeletion(String id, String ifMatch, long timeOfDeletion, long now) {
        return store.write(c -> {
            SecretRecord secret = requireForChange(c, id, ifMatch);
            if (!secret.activeAt(now)) {
                throw OciException.incorrectState("Secret is " + secret.stateAt(now).getValue()
                        + "; only an ACTIVE secret can be scheduled for deletion");
            }
            setState(c, id, Secret.LifecycleState.PendingDeletion, timeOfDeletion);
            return find(c, id);
        });
    }

    public SecretRecord cancelDeletion(String id, String ifMatch, long now) {
        return store.write(c -> {
            SecretRecord secret = requireForChange(c, id, ifMatch);
            if (secret.stateAt(now) != Secret.LifecycleState.PendingDeletion) {
                throw OciException.incorrectState("Secret is " + secret.stateAt(now).getValue()
                        + "; only a PENDING_DELETION secret can have its deletion cancelled");
            }
            setState(c, id, Secret.LifecycleState.Active, null);
            return find(c, id);
        });
    }

    private static void setState(Connection c, String id, Secret.LifecycleState state, Long timeOfDeletion)
            throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE vault_secrets SET state = ?,"
                + " time_of_deletion = ?, revision = revision + 1 WHERE id = ?")) {
            update.setString(1, state.getValue());
            if (timeOfDeletion == null) {
                update.setNull(2, Types.INTEGER);
            } else {
                update.setLong(2, timeOfDeletion);
            }
            update.setString(3, id);
            update.executeUpdate();
        }
    }

    private static SecretRecord requireForChange(Connection c, String id, String ifMatch) throws SQLException {
        SecretRecord secret = find(c, id);
        if (secret == null) {
            throw notFound(id);
        }
        if (ifMatch != null && !ifMatch.equals(secret.etag())) {
            throw OciException.preconditionFailed("The if-match etag does not match the secret's current etag");
        }
        return secret;
    }

    public static OciException notFound(String id) {
        return OciException.notFound("Secret " + id + " not found or not authorized");
    }

    public SecretRecord find(String id) {
        return store.read(c -> find(c, id));
    }

    /** The secret holding {@code name} in the vault (any state but DELETED), or null. */
    public SecretRecord findByName(String vaultId, String name, long now) {
        return store.read(c -> holderOfName(c, vaultId, name, now));
    }

    public List<SecretRecord> listInCompartment(String compartmentId) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM vault_secrets WHERE compartment_id = ? ORDER BY seq")) {
                q.setString(1, compartmentId);
                return readSecrets(q);
            }
        });
    }

    public List<SecretVersionRecord> versions(String secretId) {
        return store.read(c -> SecretVersionTable.list(c, secretId));
    }

    private static SecretRecord holderOfName(Connection c, String vaultId, String name, long now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + " FROM vault_secrets WHERE vault_id = ? AND name = ? ORDER BY seq")) {
            q.setString(1, vaultId);
            q.setString(2, name);
            for (SecretRecord s : readSecrets(q)) {
                if (s.holdsNameAt(now)) {
                    return s;
                }
            }
            return null;
        }
    }

    private static SecretRecord find(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM vault_secrets WHERE id = ?")) {
            q.setString(1, id);
            List<SecretRecord> found = readSecrets(q);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    private static List<SecretRecord> readSecrets(PreparedStatement q) throws SQLException {
        List<SecretRecord> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                long deletion = rs.getLong(10);
                Long timeOfDeletion = rs.wasNull() ? null : deletion;
                out.add(new SecretRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7),
                        Secret.LifecycleState.create(rs.getString(8)), rs.getLong(9), timeOfDeletion,
                        rs.getLong(11), SecretRules.fromJson(rs.getString(12)), rs.getString(13),
                        rs.getString(14), rs.getString(15), rs.getLong(16)));
            }
        }
        return out;
    }
}
