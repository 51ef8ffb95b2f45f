package dev.datasync.local.cli;

import dev.datasync.local.oci.SigningSecretsAdmin;
import dev.datasync.shared.signing.SigningKeyRing;

import java.time.Duration;
import java.util.Map;

/**
 * {@code sources add --sign} and {@code sources sign}: the signing secret written with the functions' configuration
 * of the stack that runs (else the local template's, from {@code env}).
 */
final class SigningSecrets {

    private SigningSecrets() {
    }

    /** Gives {@code sourceId} a new current signing secret; the ring now in Vault. */
    static SigningKeyRing rotate(OciSession session, Map<String, String> env, String sourceId) throws Exception {
        return SigningSecretsAdmin.rotate(session.functionConfig(env::get), sourceId);
    }

    /** The overlap after a rotation during which both signatures are sent, as the functions are configured. */
    static Duration overlap(OciSession session, Map<String, String> env) throws Exception {
        return session.functionConfig(env::get).signing().rotationOverlap();
    }
}
