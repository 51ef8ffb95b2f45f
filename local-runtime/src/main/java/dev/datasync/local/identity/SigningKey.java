package dev.datasync.local.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The RSA key (2048 bits) the local identity provider signs source credentials with, kept as a JWK with its private
 * part in {@code <data dir>/identity/signing-key.json} (0600): generated on first use, the same afterwards, so
 * credentials survive restarts. Its key id is its JWK thumbprint (RFC 7638).
 */
final class SigningKey {

    static final String FILE_NAME = "signing-key.json";

    private SigningKey() {
    }

    /** Reads the key, or generates and writes it when there is none; call under the registry's lock. */
    static RSAKey loadOrCreate(Path identityDir) throws IOException {
        Path file = identityDir.resolve(FILE_NAME);
        try {
            if (Files.isRegularFile(file)) {
                PrivateFiles.requireOwnerOnly(file);
                RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                if (!key.isPrivate()) {
                    throw new IOException(file + " holds no private key");
                }
                return key;
            }
            RSAKey key = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
            PrivateFiles.writeAtomically(file, key.toJSONString().getBytes(StandardCharsets.UTF_8));
            return key;
        } catch (ParseException e) {
            throw new IOException(file + " is not a JWK: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw new IOException("cannot generate the signing key: " + e.getMessage(), e);
        }
    }
}
