package dev.datasync.shared.delivery;

import dev.datasync.shared.signing.WebhookSigner;

/**
 * Whether, and with which secrets, a source's deliveries are signed: the source's policy says whether it signs
 * (opt-in), its secrets come from Vault, both through container caches, so a delivery makes no OCI call per message.
 */
@FunctionalInterface
public interface DeliverySigning {

    /** Nothing is signed (a pipeline without the source registry, and tests). */
    DeliverySigning NONE = sourceId -> null;

    /**
     * The signer for a delivery of {@code sourceId} now, or null when its deliveries are not signed (a message
     * accepted before sources existed has no source and is never signed).
     *
     * @throws SigningUnavailableException when the source signs but its secret or policy cannot be read now: the
     *                                     message is not sent unsigned
     */
    WebhookSigner signerFor(String sourceId);
}
