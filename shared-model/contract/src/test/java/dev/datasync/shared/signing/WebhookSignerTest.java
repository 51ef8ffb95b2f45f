package dev.datasync.shared.signing;

import dev.datasync.shared.json.Json;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

/**
 * The signature against the Standard Webhooks test vector (the one its reference libraries test with), several
 * secrets as the spec writes them (space-separated), the key ring's rotation overlap, and that a secret never shows
 * in {@code toString}.
 */
public class WebhookSignerTest {

    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330L;
    private static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    public void signsTheSpecTestVector() {
        WebhookSigner signer = new WebhookSigner(List.of(SigningSecret.parse(VECTOR_SECRET)));
        assertEquals(VECTOR_SIGNATURE, signer.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY));
        assertEquals("the same signer again gives the same answer (no state kept between signatures)",
                VECTOR_SIGNATURE, signer.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY));
        assertNotEquals(VECTOR_SIGNATURE, signer.sign(VECTOR_ID, VECTOR_TIMESTAMP + 1, VECTOR_BODY));
    }

    @Test
    public void severalSecretsGiveSpaceSeparatedSignaturesCurrentFirst() {
        SigningSecret other = SigningSecret.generate();
        WebhookSigner both = new WebhookSigner(List.of(other, SigningSecret.parse(VECTOR_SECRET)));
        String[] parts = both.sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY).split(" ");
        assertEquals(2, parts.length);
        assertEquals(new WebhookSigner(List.of(other)).sign(VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY), parts[0]);
        assertEquals(VECTOR_SIGNATURE, parts[1]);
    }

    @Test
    public void noBodyIsSignedAsEmpty() {
        WebhookSigner signer = new WebhookSigner(List.of(SigningSecret.parse(VECTOR_SECRET)));
        assertEquals(signer.sign("id", 1, new byte[0]), signer.sign("id", 1, null));
    }

    @Test
    public void theRingSignsWithThePreviousSecretDuringTheOverlapOnly() {
        SigningSecret a = SigningSecret.generate();
        SigningSecret b = SigningSecret.generate();
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        SigningKeyRing ring = SigningKeyRing.first(a).rotatedTo(b, t);
        Duration overlap = Duration.ofHours(24);
        assertEquals(List.of(b, a), ring.activeAt(t.plusSeconds(60), overlap));
        assertEquals(List.of(b), ring.activeAt(t.plus(overlap), overlap));
        assertEquals(List.of(a), SigningKeyRing.first(a).activeAt(t, overlap));
        SigningKeyRing read = SigningKeyRing.fromJson(Json.mapper().valueToTree(ring.toJson()));
        assertEquals(ring, read);
    }

    @Test
    public void secretsAreCheckedAndNeverShown() {
        SigningSecret s = SigningSecret.generate();
        assertEquals(s, SigningSecret.parse(s.text()));
        assertTrue(s.text().startsWith("whsec_"));
        assertFalse(s.toString().contains(s.text().substring(6)));
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("whsec_c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> SigningSecret.parse("whsec_not base64!"));
    }
}
