package dev.datasync.shared.oci;

import com.oracle.bmc.ClientConfiguration;
import com.oracle.bmc.Region;
import com.oracle.bmc.auth.SimpleAuthenticationDetailsProvider;
import com.oracle.bmc.circuitbreaker.CircuitBreakerConfiguration;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.retrier.RetryConfiguration;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import dev.datasync.shared.testing.ScriptedTarget;
import dev.datasync.shared.testing.ScriptedTarget.Reply;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The OCI SDK's own circuit breaker still works with the one resilience4j version the root pom pins for the SDK
 * and the delivery engine: it opens and then refuses calls without reaching the server. (resilience4j 2.x breaks
 * exactly this: the SDK builds its refusal message with a method 2.x removed.)
 */
public class SdkCircuitBreakerTest {

    @Test
    public void theSdkBreakerOpensAndRefusesCallsWithItsMessage() throws Exception {
        try (ScriptedTarget server = ScriptedTarget.start()) {
            server.fallback(Reply.status(500));
            CircuitBreakerConfiguration breaker = CircuitBreakerConfiguration.builder()
                    .failureRateThreshold(50).minimumNumberOfCalls(2).slidingWindowSize(2)
                    .recordHttpStatuses(Set.of(500)).waitDurationInOpenState(Duration.ofSeconds(30)).build();
            try (SecretsClient client = SecretsClient.builder().endpoint(server.baseUrl())
                    .configuration(ClientConfiguration.builder()
                            .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION)
                            .circuitBreakerConfiguration(breaker).build())
                    .build(throwawayKey())) {
                GetSecretBundleRequest request = GetSecretBundleRequest.builder()
                        .secretId("ocid1.vaultsecret.oc1.iad.x").build();
                for (int i = 0; i < 2; i++) {
                    try {
                        client.getSecretBundle(request);
                        fail("a 500 was taken for a secret");
                    } catch (BmcException e) {
                        assertEquals(500, e.getStatusCode());
                    }
                }
                try {
                    client.getSecretBundle(request);
                    fail("the open breaker let a call through");
                } catch (BmcException e) {
                    // the SDK answers for the server: no status, and the message it builds from the breaker's
                    // configuration (the open wait is read with the method resilience4j 2.x no longer has)
                    assertEquals(-1, e.getStatusCode());
                    assertTrue(e.getMessage(), e.getMessage().contains("CircuitBreaker has been OPEN")
                            && e.getMessage().contains("30 seconds"));
                }
                assertEquals("the refused call never reached the server", 2, server.received().size());
            }
        }
    }

    /** API-key auth with a key made for this test: the scripted server checks no signature. */
    private static SimpleAuthenticationDetailsProvider throwawayKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return SimpleAuthenticationDetailsProvider.builder()
                .tenantId("ocid1.tenancy.oc1..test").userId("ocid1.user.oc1..test")
                .fingerprint("00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff").region(Region.US_ASHBURN_1)
                .privateKeySupplier(() -> new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .build();
    }
}
