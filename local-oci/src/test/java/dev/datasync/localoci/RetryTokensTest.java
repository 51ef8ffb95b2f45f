package dev.datasync.localoci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.responses.CreateSecretResponse;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.fail;

/**
 * {@code opc-retry-token} on CreateSecret (the one emulated operation whose API defines it; SDK 3.77.2's
 * {@code ClientCall} generates a token once per call and re-sends it on every retry). A retry of a create whose
 * answer was lost must get the original answer, not a second secret or a 409 for the duplicate name.
 */
public class RetryTokensTest {
    @Rule
    public final EmulatorRule emulator = new EmulatorRule();
    private VaultsClient vaults;

    @Before
    public void openClient() {
        vaults = VaultsClient.builder().endpoint(emulator.oci().baseUrl()).configuration(EmulatorRule.noRetries())
                .build(EmulatorRule.provider(emulator.oci()));
    }

    @After
    public void closeClient() {
        vaults.close();
    }

    private CreateSecretResponse create(String token, String name, String base64) {
        Resources r = emulator.oci().resources();
        return vaults.createSecret(CreateSecretRequest.builder().opcRetryToken(token)
                .createSecretDetails(CreateSecretDetails.builder()
                        .compartmentId(r.compartments().get("DataSyncCompartment"))
                        .vaultId(r.vaults().get("DataSyncVault")).keyId(r.keys().get("DataSyncMasterKey"))
                        .secretName(name)
                        .secretContent(Base64SecretContentDetails.builder().content(base64).build()).build())
                .build());
    }

    private int secretsNamed(String name) {
        return vaults.listSecrets(ListSecretsRequest.builder()
                .compartmentId(emulator.oci().resources().compartments().get("DataSyncCompartment")).name(name).build())
                .getItems().size();
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    public void sameTokenAndBodyIsAnsweredWithTheOriginalResponse() {
        String token = token();
        CreateSecretResponse first = create(token, "retried", "dG9rZW4=");
        CreateSecretResponse retry = create(token, "retried", "dG9rZW4=");
        assertEquals(first.getSecret().getId(), retry.getSecret().getId());
        assertEquals(first.getSecret(), retry.getSecret());
        assertEquals(first.getEtag(), retry.getEtag());
        assertNotEquals("a retry is still its own request", first.getOpcRequestId(), retry.getOpcRequestId());
        assertEquals(1, secretsNamed("retried"));
    }

    @Test
    public void sameTokenWithAnotherBodyIsInvalidatedRetryToken() {
        String token = token();
        create(token, "first-body", "YQ==");
        try {
            create(token, "other-body", "YQ==");
            fail("a reused token with another body was served");
        } catch (BmcException e) {
            assertEquals(409, e.getStatusCode());
            assertEquals("InvalidatedRetryToken", e.getServiceCode());
        }
        assertEquals("nothing created for the rejected request", 0, secretsNamed("other-body"));
    }

    @Test
    public void failedAnswersAreNotKeptSoARetryRunsAgain() {
        String token = token();
        try {
            create(token, "bad-content", "not base64!");
            fail("bad base64 accepted");
        } catch (BmcException e) {
            assertEquals(400, e.getStatusCode());
        }
        // the same token may be used again: the failed request did nothing
        try {
            create(token, "bad-content", "not base64!");
            fail("bad base64 accepted");
        } catch (BmcException e) {
            assertEquals("InvalidParameter", e.getServiceCode());
        }
    }

    @Test
    public void tokensSurviveARestartAndExpireAfter24Hours() throws Exception {
        String token = token();
        String id = create(token, "durable", "YQ==").getSecret().getId();
        closeClient();
        emulator.restart();
        openClient();
        assertEquals(id, create(token, "durable", "YQ==").getSecret().getId());

        emulator.clock().advance(Duration.ofHours(24).plusMinutes(1));
        // forgotten: the token now starts a new request (here a create of another secret)
        String other = create(token, "durable-2", "YQ==").getSecret().getId();
        assertNotEquals(id, other);
        assertEquals(1, secretsNamed("durable-2"));
    }

    @Test
    public void tokenLongerThan64CharactersIsInvalid() {
        try {
            create("x".repeat(65), "long-token", "YQ==");
            fail("65-character retry token accepted");
        } catch (BmcException e) {
            assertEquals(400, e.getStatusCode());
            assertEquals("InvalidParameter", e.getServiceCode());
        }
        assertEquals(0, secretsNamed("long-token"));
    }
}
