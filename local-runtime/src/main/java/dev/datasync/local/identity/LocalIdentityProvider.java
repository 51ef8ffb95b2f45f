package dev.datasync.local.identity;

import com.nimbusds.jose.jwk.RSAKey;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local stand-in for the identity provider that issues source credentials on OCI (an IAM identity domain):
 * {@code <data dir>/identity/} (0700) holds its signing key and {@code sources.json}. Registers sources, issues
 * each one credential at a time, revokes them, and gives the gateway its {@link SourceTokenVerifier}. Works the
 * same whether or not a stack runs on the data dir: the running gateway picks changes up from the file.
 */
public final class LocalIdentityProvider {

    /** Requests per second a source gets when nothing else is said. */
    public static final int DEFAULT_RATE_PER_SECOND = 100;
    /** Live token secrets a source may own when nothing else is said (func-configs: source_default_max_secrets). */
    public static final int DEFAULT_MAX_SECRETS = 100;

    private final Path dir;
    private final SourceRegistry registry;
    private final RSAKey key;
    private final SourceCredentials credentials;
    private final Clock clock;

    private LocalIdentityProvider(Path dir, SourceRegistry registry, RSAKey key, Clock clock) {
        this.dir = dir;
        this.registry = registry;
        this.key = key;
        this.credentials = new SourceCredentials(key);
        this.clock = clock;
    }

    public static LocalIdentityProvider open(Path dataDir) throws IOException {
        return open(dataDir, Clock.systemUTC());
    }

    /** Opens (creating it when missing) the provider of {@code dataDir}; {@code clock} dates credentials. */
    public static LocalIdentityProvider open(Path dataDir, Clock clock) throws IOException {
        Path dir = directory(dataDir);
        PrivateFiles.createDirectories(dir);
        SourceRegistry registry = new SourceRegistry(dir);
        RSAKey key = registry.locked(() -> SigningKey.loadOrCreate(dir));
        return new LocalIdentityProvider(dir, registry, key, clock);
    }

    public static Path directory(Path dataDir) {
        return dataDir.resolve("identity");
    }

    /** A new source, or a revoked one registered again, with its one credential; its deliveries not signed. */
    public Registered add(String id, List<String> allowlist, int ratePerSecond, int maxSecrets, Duration lifetime)
            throws IOException {
        return add(id, allowlist, ratePerSecond, maxSecrets, false, lifetime);
    }

    /** A new source, or a revoked one registered again, with its one credential. */
    public Registered add(String id, List<String> allowlist, int ratePerSecond, int maxSecrets, boolean signing,
                          Duration lifetime) throws IOException {
        SourceCredentials.Issued issued = credentials.issue(id, clock.instant(), lifetime);
        Map<String, SourceRecord> after = registry.update(sources -> {
            SourceRecord existing = sources.get(id);
            if (existing != null && !existing.revoked()) {
                throw new SourceExists(id);
            }
            SourceRecord record = existing == null
                    ? new SourceRecord(id, allowlist, ratePerSecond, maxSecrets, clock.instant(), issued.jti(), false,
                            null, signing)
                    : existing.withCredential(issued.jti(), allowlist, ratePerSecond, maxSecrets, signing);
            sources.put(id, record);
            return sources;
        });
        return new Registered(after.get(id), issued);
    }

    /** A new credential for an existing, unrevoked source; its earlier credential stops working. */
    public Registered renew(String id, Duration lifetime) throws IOException {
        SourceCredentials.Issued issued = credentials.issue(id, clock.instant(), lifetime);
        Map<String, SourceRecord> after = registry.update(sources -> {
            SourceRecord existing = sources.get(id);
            if (existing == null || existing.revoked()) {
                throw new IllegalStateException("source " + id + " is not registered or is revoked");
            }
            sources.put(id, existing.withCredential(issued.jti(), existing.allowlist(), existing.ratePerSecond(),
                    existing.maxSecrets(), existing.signing()));
            return sources;
        });
        return new Registered(after.get(id), issued);
    }

    /** Turns signing on for an existing, unrevoked source (its deliveries are signed from then on). */
    public SourceRecord sign(String id) throws IOException {
        return registry.update(sources -> {
            SourceRecord existing = sources.get(id);
            if (existing == null || existing.revoked()) {
                throw new UnknownSource(id);
            }
            sources.put(id, existing.signed());
            return sources;
        }).get(id);
    }

    /** Revokes a source: its credential is refused from the moment the gateway sees the change (about 1 s). */
    public SourceRecord revoke(String id) throws IOException {
        return registry.update(sources -> {
            SourceRecord existing = sources.get(id);
            if (existing == null) {
                throw new UnknownSource(id);
            }
            if (!existing.revoked()) {
                sources.put(id, existing.revokedAt(clock.instant()));
            }
            return sources;
        }).get(id);
    }

    public List<SourceRecord> list() throws IOException {
        return new ArrayList<>(registry.read().values());
    }

    /** The gateway's verifier, following {@code sources.json} as it changes. */
    public SourceTokenVerifier verifier() throws IOException {
        return new SourceTokenVerifier(key, new LiveSources(registry, System::nanoTime), clock);
    }

    public Path directory() {
        return dir;
    }

    /** A source and the credential just issued for it. */
    public record Registered(SourceRecord source, SourceCredentials.Issued credential) {
    }

    /** {@code add} of a source that exists and is not revoked. */
    public static final class SourceExists extends IllegalStateException {
        SourceExists(String id) {
            super("source " + id + " already exists; revoke it first to issue it a new credential");
        }
    }

    /** {@code revoke} of a source never registered. */
    public static final class UnknownSource extends IllegalStateException {
        UnknownSource(String id) {
            super("no source named " + id);
        }
    }
}
