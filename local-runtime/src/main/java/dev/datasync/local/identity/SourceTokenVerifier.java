package dev.datasync.local.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.contract.SourcePolicy;

import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks a source credential the way the OCI sync deployment's JWT policy does — signature (RS256, this provider's
 * key), {@code iss}, {@code aud}, {@code exp} — and then what only the local provider knows: the source is
 * registered, not revoked, and this is its current credential ({@code jti}). The signature is checked before any
 * claim is read, so nothing of a forged token is trusted.
 */
public final class SourceTokenVerifier {

    private static final String BEARER = "bearer ";

    private final RSASSAVerifier signature;
    private final Supplier<Map<String, SourceRecord>> sources;
    private final Clock clock;

    SourceTokenVerifier(RSAKey key, Supplier<Map<String, SourceRecord>> sources, Clock clock) {
        try {
            this.signature = new RSASSAVerifier(key.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable signing key: " + e.getMessage(), e);
        }
        this.sources = sources;
        this.clock = clock;
    }

    /** @param presented the header's value: the JWT, or {@code Bearer <JWT>}; null when the header is absent */
    public Verification verify(String presented) {
        String token = stripBearer(presented);
        if (token.isEmpty()) {
            return new Verification.Refused("missing source credential: send " + SourceHeaders.SOURCE_TOKEN
                    + ": Bearer <credential>");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Verification.Refused("malformed source credential: not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return new Verification.Refused("bad signature: source credentials are signed with RS256");
        }
        try {
            if (!jwt.verify(signature)) {
                return new Verification.Refused("bad signature: not signed by this stack's identity provider");
            }
        } catch (JOSEException e) {
            return new Verification.Refused("bad signature: the signature cannot be checked");
        }
        if (!SourceCredentials.ISSUER.equals(claims.getIssuer())) {
            return new Verification.Refused("wrong issuer: the credential was not issued by "
                    + SourceCredentials.ISSUER);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(SourceCredentials.AUDIENCE)) {
            return new Verification.Refused("wrong audience: not a source credential (audience "
                    + SourceCredentials.AUDIENCE + ")");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(clock.instant())) {
            return new Verification.Refused("expired source credential: ask for a new one "
                    + "(./datasync sources revoke and sources add)");
        }
        String sourceId = claims.getSubject();
        if (!SourcePolicy.isValidId(sourceId)) {
            return new Verification.Refused("malformed source credential: its subject is not a source id");
        }
        SourceRecord source = sources.get().get(sourceId);
        if (source == null) {
            return new Verification.Refused("revoked source credential: source " + sourceId + " is not registered");
        }
        if (source.revoked()) {
            return new Verification.Refused("revoked source credential: source " + sourceId + " is revoked");
        }
        if (!source.accepts(claims.getJWTID())) {
            return new Verification.Refused("revoked source credential: source " + sourceId
                    + " has a newer credential");
        }
        return new Verification.Verified(source);
    }

    private static String stripBearer(String presented) {
        if (presented == null) {
            return "";
        }
        String v = presented.trim();
        if (v.equalsIgnoreCase(BEARER.trim())) {
            return "";
        }
        if (v.length() >= BEARER.length() && v.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            v = v.substring(BEARER.length()).trim();
        }
        return v;
    }
}
