package dev.datasync.local.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Issues source credentials: RS256 JWTs with {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE} (the
 * audience the OCI sync deployment checks too), {@code sub} the source id, {@code exp}, {@code iat} and a fresh
 * {@code jti}, which the source's record keeps so that a revocation or a newer credential retires it.
 */
public final class SourceCredentials {

    public static final String ISSUER = "datasync-local";
    public static final String AUDIENCE = "datasync-sync";
    /** How long a credential stays valid when nothing else is said. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);

    private final RSAKey key;

    SourceCredentials(RSAKey key) {
        this.key = key;
    }

    /** A credential issued now (per {@code issuedAt}), valid for {@code lifetime}. */
    public Issued issue(String sourceId, Instant issuedAt, Duration lifetime) {
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(sourceId)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(jti)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a source credential: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), jti, issuedAt.plus(lifetime));
    }

    /** A credential as issued: the compact JWT (shown once), its {@code jti} and expiry. */
    public record Issued(String token, String jti, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[jti=" + jti + ", expiresAt=" + expiresAt + "]"; // never the token
        }
    }
}
