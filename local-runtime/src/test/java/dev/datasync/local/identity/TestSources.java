package dev.datasync.local.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Source credentials for tests: a local identity provider on a data dir (a fresh temporary one, or a running
 * stack's), and the hostile kinds of credential — forged (another provider's key), expired — next to good ones.
 */
public final class TestSources {

    private final Path dataDir;
    private final LocalIdentityProvider identity;

    private TestSources(Path dataDir, LocalIdentityProvider identity) {
        this.dataDir = dataDir;
        this.identity = identity;
    }

    /** A provider on a fresh temporary data dir. */
    public static TestSources fresh() {
        try {
            return on(Files.createTempDirectory("sources"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestSources on(Path dataDir) {
        try {
            return new TestSources(dataDir, LocalIdentityProvider.open(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public LocalIdentityProvider identity() {
        return identity;
    }

    public SourceTokenVerifier verifier() {
        try {
            return identity.verifier();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers {@code id} (allowing the global list, {@code rate} requests/s) and answers its credential. */
    public String add(String id, int rate) {
        try {
            return identity.add(id, List.of(), rate, LocalIdentityProvider.DEFAULT_MAX_SECRETS, Duration.ofDays(1))
                    .credential().token();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String add(String id) {
        return add(id, 1_000);
    }

    /** {@code id}'s current credential, made one that expired an hour ago (the source stays registered). */
    public String expired(String id) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC);
        try {
            return LocalIdentityProvider.open(dataDir, past).renew(id, Duration.ofDays(1).plusHours(23))
                    .credential().token();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed credential for {@code id}, signed by another provider's key: a forgery. */
    public static String forged(String id) {
        return fresh().add(id);
    }

    public void revoke(String id) {
        try {
            identity.revoke(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
