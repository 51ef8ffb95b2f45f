package dev.datasync.local.identity;

import dev.datasync.shared.contract.SourcePolicy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One source application of the local identity provider, as kept in {@code <data dir>/identity/sources.json}: its
 * policy (allow-list, rate, secret cap), when it was created, the id ({@code jti}) of the one credential currently
 * valid for it, and whether it is revoked. The credential itself is never stored: it is shown once when issued.
 */
public record SourceRecord(String id, List<String> allowlist, int ratePerSecond, int maxSecrets, Instant createdAt,
                           String credentialJti, boolean revoked, Instant revokedAt, boolean signing) {

    public SourceRecord {
        if (!SourcePolicy.isValidId(id)) {
            throw new IllegalArgumentException("source id '" + id + "' does not match " + SourcePolicy.ID_PATTERN);
        }
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("ratePerSecond must be at least 1, got " + ratePerSecond);
        }
        if (maxSecrets < 1) {
            throw new IllegalArgumentException("maxSecrets must be at least 1, got " + maxSecrets);
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(credentialJti, "credentialJti");
    }

    /** What the functions read from the state bucket for this source. */
    public SourcePolicy policy() {
        return new SourcePolicy(id, allowlist, ratePerSecond, maxSecrets, signing ? Boolean.TRUE : null);
    }

    /** The same source, its credentials from now on only the one with {@code jti}. */
    public SourceRecord withCredential(String jti, List<String> newAllowlist, int newRate, int newMaxSecrets,
                                       boolean newSigning) {
        return new SourceRecord(id, newAllowlist, newRate, newMaxSecrets, createdAt, jti, false, null, newSigning);
    }

    public SourceRecord revokedAt(Instant when) {
        return new SourceRecord(id, allowlist, ratePerSecond, maxSecrets, createdAt, credentialJti, true, when,
                signing);
    }

    /** The same source with its deliveries signed. */
    public SourceRecord signed() {
        return new SourceRecord(id, allowlist, ratePerSecond, maxSecrets, createdAt, credentialJti, revoked, revokedAt,
                true);
    }

    /** A credential is current when its source is not revoked and it is the latest one issued. */
    public boolean accepts(String jti) {
        return !revoked && credentialJti.equals(jti);
    }
}
