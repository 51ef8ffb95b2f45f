package dev.datasync.localoci;

import dev.datasync.localoci.auth.OcidFactory;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.store.Store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The compartments that exist: the tenancy (root compartment) plus those declared. IAM itself is not emulated;
 * services only use this to answer 404 for an unknown {@code compartmentId}, as OCI would.
 */
public final class Compartments {
    private final Store store;
    private final OcidFactory ocids;
    private final String tenancyId;

    Compartments(Store store, OcidFactory ocids, String tenancyId) {
        this.store = store;
        this.ocids = ocids;
        this.tenancyId = tenancyId;
        store.schema("CREATE TABLE IF NOT EXISTS compartments (name TEXT PRIMARY KEY, ocid TEXT NOT NULL UNIQUE)");
    }

    public String tenancyId() {
        return tenancyId;
    }

    /** The OCID of compartment {@code name}, created if missing (idempotent by name). */
    public String ensure(String name) {
        return store.write(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT ocid FROM compartments WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            String ocid = ocids.global("compartment");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO compartments(name, ocid) VALUES (?, ?)")) {
                insert.setString(1, name);
                insert.setString(2, ocid);
                insert.executeUpdate();
            }
            return ocid;
        });
    }

    public boolean exists(String compartmentId) {
        if (tenancyId.equals(compartmentId)) {
            return true;
        }
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM compartments WHERE ocid = ?")) {
                q.setString(1, compartmentId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The name of a compartment; the tenancy (root compartment) is named by its OCID. */
    public String nameOf(String compartmentId) {
        if (tenancyId.equals(compartmentId)) {
            return compartmentId;
        }
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT name FROM compartments WHERE ocid = ?")) {
                q.setString(1, compartmentId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getString(1) : compartmentId;
                }
            }
        });
    }

    /** 400 if absent, 404 NotAuthorizedOrNotFound if unknown — what OCI answers for a bad compartment. */
    public void require(String compartmentId) {
        if (compartmentId == null || compartmentId.isEmpty()) {
            throw OciException.missingParameter("compartmentId is required");
        }
        if (!exists(compartmentId)) {
            throw OciException.notFound("Compartment " + compartmentId + " not found or not authorized");
        }
    }
}
