package dev.datasync.local.stack;

import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.identity.SourceRecord;
import dev.datasync.local.identity.SourceTokenFile;
import dev.datasync.local.identity.Verification;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.oci.SourcePolicyStore;
import dev.datasync.shared.log.LogFields;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The sources a starting stack serves: with none registered, the default source {@value #DEFAULT_SOURCE} is created
 * and its credential written to {@code <data dir>/source-token}; while {@code local} is live, that file always holds
 * its current credential (an expired or missing one is replaced). Every source's policy is then written into the
 * state bucket, so local-oci holds exactly what {@code sources.json} says even after its data was reset.
 */
final class StackSources {

    static final String DEFAULT_SOURCE = "local";
    private static final RuntimeLog LOG = RuntimeLog.of("stack");

    private StackSources() {
    }

    /** @return the default source's credential, when {@code local} is a live source */
    static Optional<String> prepare(LocalIdentityProvider identity, SourcePolicyStore policies, Path dataDir,
                                    Duration lifetime) throws IOException {
        List<SourceRecord> sources = identity.list();
        Optional<String> token;
        if (sources.isEmpty()) {
            String issued = identity.add(DEFAULT_SOURCE, List.of(), LocalIdentityProvider.DEFAULT_RATE_PER_SECOND,
                    LocalIdentityProvider.DEFAULT_MAX_SECRETS, lifetime).credential().token();
            SourceTokenFile.write(dataDir, issued);
            LOG.info("source_created", LogFields.SOURCE_ID, DEFAULT_SOURCE, "credentialFile",
                    SourceTokenFile.of(dataDir).toString());
            token = Optional.of(issued);
        } else {
            token = currentDefault(identity, sources, dataDir, lifetime);
        }
        for (SourceRecord s : identity.list()) {
            policies.put(s.policy());
        }
        return token;
    }

    private static Optional<String> currentDefault(LocalIdentityProvider identity, List<SourceRecord> sources,
                                                   Path dataDir, Duration lifetime) throws IOException {
        boolean live = sources.stream().anyMatch(s -> s.id().equals(DEFAULT_SOURCE) && !s.revoked());
        if (!live) {
            return Optional.empty();
        }
        Optional<String> inFile = SourceTokenFile.read(dataDir);
        if (inFile.isPresent() && identity.verifier().verify(inFile.get()) instanceof Verification.Verified v
                && v.source().id().equals(DEFAULT_SOURCE)) {
            return inFile;
        }
        String renewed = identity.renew(DEFAULT_SOURCE, lifetime).credential().token();
        SourceTokenFile.write(dataDir, renewed);
        LOG.info("source_credential_renewed", LogFields.SOURCE_ID, DEFAULT_SOURCE, "credentialFile",
                SourceTokenFile.of(dataDir).toString());
        return Optional.of(renewed);
    }
}
