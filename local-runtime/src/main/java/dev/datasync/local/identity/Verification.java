package dev.datasync.local.identity;

/** What {@link SourceTokenVerifier} made of a presented source credential. */
public sealed interface Verification {

    /** A current credential of a registered, unrevoked source. */
    record Verified(SourceRecord source) implements Verification {
    }

    /**
     * Refused, with a sentence for the caller saying which check failed (missing, malformed, bad signature,
     * expired, wrong issuer or audience, revoked); never the presented value.
     */
    record Refused(String reason) implements Verification {
    }
}
