package dev.datasync.shared.oci;

import dev.datasync.shared.config.SigningSettings;
import dev.datasync.shared.delivery.DeliverySigning;
import dev.datasync.shared.delivery.SigningUnavailableException;
import dev.datasync.shared.delivery.SourceUnavailableException;
import dev.datasync.shared.oci.internal.SingleFlightCache;
import dev.datasync.shared.signing.SigningKeyRing;
import dev.datasync.shared.signing.WebhookSigner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link DeliverySigning} over the source registry (whether a source signs: its policy's {@code signing}, cached
 * there) and Vault (its {@code sign.<id>} key ring, kept per container for {@link #TTL}), so a delivery makes no OCI
 * call per message. The signers are built once per key ring read: during a rotation's overlap the one that signs
 * with both secrets, after it the one with the current secret alone. A rotation reaches every container within
 * {@link #TTL}; the overlap is what lets receivers change over meanwhile. Thread-safe; one per container.
 */
public final class VaultSigning implements DeliverySigning {

    /**
     * How long a source's key ring is kept at most: a rotation signs every delivery within it. With a short
     * {@code signing_rotation_overlap} it is a quarter of the overlap, so no container can sign with the previous
     * secret alone for more than a small part of the overlap.
     */
    public static final Duration TTL = Duration.ofMinutes(1);

    /** A key ring read from Vault and its two signers (the second null without a previous secret). */
    private record Keys(Instant overlapEnds, WebhookSigner currentOnly, WebhookSigner withPrevious) {
    }

    private final SourceRegistry registry;
    private final SigningSecretStore store;
    private final Duration overlap;
    private final Clock clock;
    private final SingleFlightCache<String, Optional<Keys>> keys;

    public VaultSigning(SourceRegistry registry, SigningSecretStore store, SigningSettings settings, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.overlap = settings.rotationOverlap();
        this.clock = clock;
        Duration quarter = overlap.dividedBy(4);
        this.keys = new SingleFlightCache<>(quarter.compareTo(TTL) < 0 ? quarter : TTL, clock);
    }

    @Override
    public WebhookSigner signerFor(String sourceId) {
        if (sourceId == null) {
            return null;
        }
        boolean signs;
        try {
            signs = registry.rules(sourceId).signing();
        } catch (SourceUnavailableException e) {
            throw new SigningUnavailableException("whether source " + sourceId + " signs cannot be read now", e);
        }
        if (!signs) {
            return null;
        }
        Optional<Keys> k;
        try {
            k = keys.get(sourceId, () -> Optional.ofNullable(store.read(sourceId)).map(this::signers));
        } catch (VaultUnavailableException e) {
            throw new SigningUnavailableException("the signing secret of source " + sourceId
                    + " cannot be read now" + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""), e);
        }
        if (k.isEmpty()) {
            throw new SigningUnavailableException("source " + sourceId + " signs its deliveries but has no signing"
                    + " secret (" + SigningSecretStore.name(sourceId) + ")", null);
        }
        Keys ring = k.get();
        return ring.withPrevious() != null && clock.instant().isBefore(ring.overlapEnds()) ? ring.withPrevious()
                : ring.currentOnly();
    }

    private Keys signers(SigningKeyRing ring) {
        WebhookSigner current = new WebhookSigner(java.util.List.of(ring.current()));
        if (ring.previous() == null) {
            return new Keys(null, current, null);
        }
        Instant ends = ring.overlapEndsAt(overlap);
        // the ring says which secrets are active when; built here once, chosen per delivery above
        return new Keys(ends, current, new WebhookSigner(ring.activeAt(ring.rotatedAt(), overlap)));
    }
}
