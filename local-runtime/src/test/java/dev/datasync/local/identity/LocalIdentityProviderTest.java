package dev.datasync.local.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.datasync.shared.contract.SourcePolicy;
import org.junit.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The local identity provider: its files, the credentials it issues (claims of the OCI contract), and every reason
 * a credential is refused — each named in the refusal, none echoing the credential.
 */
public class LocalIdentityProviderTest {

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String refusal(SourceTokenVerifier verifier, String presented) {
        Verification v = verifier.verify(presented);
        assertTrue("refused: " + v, v instanceof Verification.Refused);
        String reason = ((Verification.Refused) v).reason();
        if (presented != null && presented.length() > 10) {
            assertFalse("the credential is never echoed", reason.contains(presented));
        }
        return reason;
    }

    @Test
    public void itsDirectoryAndFilesAreOwnerOnly() throws Exception {
        Path dataDir = Files.createTempDirectory("identity");
        TestSources sources = TestSources.on(dataDir);
        sources.add("orders-app");
        Path dir = LocalIdentityProvider.directory(dataDir);
        assertEquals("rwx------", mode(dir));
        for (String f : List.of("signing-key.json", "sources.json", "sources.lock")) {
            assertEquals(f, "rw-------", mode(dir.resolve(f)));
        }
        String stored = Files.readString(dir.resolve("sources.json"));
        assertTrue(stored, stored.contains("\"orders-app\""));
        assertFalse("no credential is kept", stored.contains("eyJ"));
    }

    @Test
    public void aCredentialIsAnRs256JwtWithTheContractsClaims() throws Exception {
        TestSources sources = TestSources.fresh();
        Instant before = Instant.now().minusSeconds(1);
        String token = sources.identity().add("orders-app", List.of("orders.example.com"), 20, 5,
                Duration.ofDays(30)).credential().token();
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals("datasync-local", c.getIssuer());
        assertEquals(List.of("datasync-sync"), c.getAudience());
        assertEquals("orders-app", c.getSubject());
        assertTrue(c.getIssueTime().toInstant().isAfter(before));
        Duration lifetime = Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant());
        assertEquals(Duration.ofDays(30), lifetime);
        SourceRecord r = sources.identity().list().get(0);
        assertEquals(c.getJWTID(), r.credentialJti());
        assertEquals(new SourcePolicy("orders-app", List.of("orders.example.com"), 20, 5), r.policy());
        Verification v = sources.verifier().verify(token);
        assertEquals("orders-app", ((Verification.Verified) v).source().id());
        assertTrue(sources.verifier().verify("Bearer " + token) instanceof Verification.Verified);
        assertTrue(sources.verifier().verify("bearer  " + token + " ") instanceof Verification.Verified);
    }

    @Test
    public void eachRefusalSaysWhichCheckFailed() throws Exception {
        TestSources sources = TestSources.fresh();
        String good = sources.add("orders-app");
        SourceTokenVerifier verifier = sources.verifier();
        assertTrue(refusal(verifier, null).startsWith("missing source credential"));
        assertTrue(refusal(verifier, "  ").startsWith("missing source credential"));
        assertTrue(refusal(verifier, "Bearer ").startsWith("missing source credential"));
        assertTrue(refusal(verifier, "not-a-jwt-at-all").startsWith("malformed"));
        assertTrue(refusal(verifier, TestSources.forged("orders-app")).startsWith("bad signature"));

        // a valid signature over other claims: the payload swapped under the signature
        String[] parts = good.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"datasync-local\",\"aud\":\"datasync-sync\",\"sub\":\"admin\",\"exp\":9999999999}"
                        .getBytes());
        assertTrue(refusal(verifier, parts[0] + "." + otherPayload + "." + parts[2]).startsWith("bad signature"));
        // alg none: no signature at all
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        assertTrue(refusal(verifier, none + "." + parts[1] + ".").startsWith("malformed")
                || refusal(verifier, none + "." + parts[1] + ".").startsWith("bad signature"));

        assertTrue(refusal(verifier, sources.expired("orders-app")).startsWith("expired"));
        String current = sources.identity().renew("orders-app", Duration.ofDays(1)).credential().token();
        Thread.sleep(LiveSources.CHECK_INTERVAL_MS + 100);
        assertTrue("an older credential is retired by a newer one",
                refusal(verifier, good).startsWith("revoked source credential"));
        assertTrue(verifier.verify(current) instanceof Verification.Verified);
        sources.revoke("orders-app");
        Thread.sleep(LiveSources.CHECK_INTERVAL_MS + 100);
        assertTrue(refusal(verifier, current).contains("is revoked"));
    }

    @Test
    public void aCredentialOfAnotherAudienceOrIssuerIsRefused() throws Exception {
        TestSources sources = TestSources.fresh();
        sources.add("orders-app");
        var key = com.nimbusds.jose.jwk.RSAKey.parse(Files.readString(sources.identity().directory()
                .resolve("signing-key.json")));
        String jti = sources.identity().list().get(0).credentialJti();
        String[][] issuerAndAudience = {{"datasync-local", "datasync-admin"}, {"someone-else", "datasync-sync"}};
        for (String[] claims : issuerAndAudience) {
            SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader(JWSAlgorithm.RS256),
                    new JWTClaimsSet.Builder().issuer(claims[0]).audience(claims[1]).subject("orders-app").jwtID(jti)
                            .expirationTime(java.util.Date.from(Instant.now().plusSeconds(600))).build());
            jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
            String reason = refusal(sources.verifier(), jwt.serialize());
            assertTrue(reason, reason.startsWith(claims[1].equals("datasync-admin") ? "wrong audience"
                    : "wrong issuer"));
        }
    }

    @Test
    public void addingALiveSourceTwiceIsRefusedAndARevokedOneComesBackWithANewCredential() throws Exception {
        TestSources sources = TestSources.fresh();
        String first = sources.add("orders-app");
        try {
            sources.add("orders-app");
            fail("a live source is added once");
        } catch (LocalIdentityProvider.SourceExists expected) {
            assertTrue(expected.getMessage().contains("revoke it first"));
        }
        sources.revoke("orders-app");
        String again = sources.add("orders-app", 5);
        assertNotEquals(first, again);
        SourceTokenVerifier verifier = sources.verifier();
        assertTrue(verifier.verify(again) instanceof Verification.Verified);
        assertTrue(refusal(verifier, first).startsWith("revoked"));
        assertEquals(5, sources.identity().list().get(0).ratePerSecond());
        assertFalse(sources.identity().list().get(0).revoked());
    }

    @Test
    public void aRunningVerifierSeesSourcesAddedAndRevokedByAnotherProcessWithinASecondOrSo() throws Exception {
        Path dataDir = Files.createTempDirectory("identity-live");
        SourceTokenVerifier running = TestSources.on(dataDir).verifier();
        TestSources cli = TestSources.on(dataDir); // another provider on the same files, as ./datasync sources is
        String token = cli.add("late-app");
        long until = System.currentTimeMillis() + 3_000;
        while (!(running.verify(token) instanceof Verification.Verified) && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(running.verify(token) instanceof Verification.Verified);
        cli.revoke("late-app");
        until = System.currentTimeMillis() + 3_000;
        while (running.verify(token) instanceof Verification.Verified && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertTrue(refusal(running, token).contains("is revoked"));
    }

    @Test
    public void aSourcesFileOthersCanWriteIsNotTrusted() throws Exception {
        Path dataDir = Files.createTempDirectory("identity-unsafe");
        TestSources.on(dataDir).add("orders-app");
        Path file = LocalIdentityProvider.directory(dataDir).resolve("sources.json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            LocalIdentityProvider.open(dataDir).list();
            fail("a sources.json anyone may write decides nothing");
        } catch (dev.datasync.localoci.support.PrivateFiles.NotPrivate expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("writable by other users"));
        }
    }
}
