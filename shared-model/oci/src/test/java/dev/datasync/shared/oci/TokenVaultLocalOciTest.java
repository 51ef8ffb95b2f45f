package dev.datasync.shared.oci;

import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretExpiryRule;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.shared.config.VaultSettings;
import dev.datasync.shared.oci.internal.SecretNotFoundException;
import dev.datasync.shared.oci.internal.TokenSecretMetadata;
import dev.datasync.shared.testing.AtOnce;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** TokenVault through the real Vaults/Secrets SDK clients against local-oci's Vault emulation. */
public class TokenVaultLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients(new LocalOciRule(),
            config -> config.put("secret_expiry_days", "7"));

    static final String TOKEN = "Bearer local-oci-secret-token";

    static OciClients clients;
    static VaultSettings settings;

    @BeforeClass
    public static void connect() {
        clients = OCI.clients();
        settings = OCI.config().vault();
    }

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    static TokenVault newContainer() {
        return new TokenVault(clients::vaults, clients::secrets, settings);
    }

    static List<SecretSummary> secretsNamed(String name) {
        return clients.vaults().listSecrets(ListSecretsRequest.builder().compartmentId(settings.compartmentOcid())
                .vaultId(settings.vaultOcid()).name(name).build()).getItems();
    }

    /** Regression (reference): raw header as content (OCI rejects it); here base64, bound, with an expiry rule. */
    @Test
    public void storeWritesBase64BoundSecretWithExpiryRule() {
        assertEquals(TokenVault.StoreOutcome.CREATED, newContainer().store("orders-token", TOKEN));
        String content = ((Base64SecretBundleContentDetails) clients.secrets().getSecretBundleByName(
                GetSecretBundleByNameRequest.builder().secretName("orders-token").vaultId(settings.vaultOcid())
                        .build()).getSecretBundle().getSecretBundleContent()).getContent();
        assertEquals(TOKEN, new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8));

        List<SecretSummary> found = secretsNamed("orders-token");
        assertEquals(1, found.size());
        Secret secret = clients.vaults().getSecret(GetSecretRequest.builder().secretId(found.get(0).getId()).build())
                .getSecret();
        String fingerprint = (String) secret.getMetadata().get(TokenSecretMetadata.FINGERPRINT_KEY);
        assertTrue(fingerprint.startsWith("sha256:"));
        assertFalse(fingerprint.contains("local-oci-secret-token"));
        assertTrue(secret.getSecretRules().stream().anyMatch(r -> r instanceof SecretExpiryRule e
                && "P7D".equals(e.getSecretVersionExpiryInterval())));
        assertEquals(TOKEN, newContainer().read("orders-token"));
    }

    /** Regression (reference): a changed token was silently ignored and anyone knowing a name could use it. */
    /** A bulk line names a secret its source stored earlier: found only when one of ours holds it. */
    @Test
    public void aStoredSecretIsUsedWithoutItsTokenAndOnlyWhenItIsOurs() {
        assertEquals(TokenVault.StoreOutcome.CREATED, newContainer().store("src.bulk-app.stored", TOKEN));
        assertTrue("another container finds it", newContainer().useStored("src.bulk-app.stored"));
        assertFalse("never stored", newContainer().useStored("src.bulk-app.never-stored"));

        clients.vaults().createSecret(CreateSecretRequest.builder().createSecretDetails(CreateSecretDetails.builder()
                .compartmentId(settings.compartmentOcid()).vaultId(settings.vaultOcid()).keyId(settings.keyOcid())
                .secretName("src.bulk-app.not-ours").secretContent(Base64SecretContentDetails.builder()
                        .content(Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8))).build())
                .build()).build());
        assertFalse("a secret this service did not create", newContainer().useStored("src.bulk-app.not-ours"));
    }

    @Test
    public void usingAStoredSecretRestoresItFromPendingDeletion() {
        assertEquals(TokenVault.StoreOutcome.CREATED, newContainer().store("src.bulk-app.pending", TOKEN));
        String id = secretsNamed("src.bulk-app.pending").get(0).getId();
        clients.vaults().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(id)
                .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder()
                        .timeOfDeletion(java.util.Date.from(java.time.Instant.now().plus(java.time.Duration.ofDays(2))))
                        .build()).build());
        assertTrue(newContainer().useStored("src.bulk-app.pending"));
        assertEquals(Secret.LifecycleState.Active, clients.vaults().getSecret(GetSecretRequest.builder().secretId(id)
                .build()).getSecret().getLifecycleState());
    }

    @Test
    public void sameTokenIsReusedAndAnotherTokenConflicts() {
        assertEquals(TokenVault.StoreOutcome.CREATED, newContainer().store("crm-token", TOKEN));
        assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, newContainer().store("crm-token", TOKEN));
        assertEquals(TokenVault.StoreOutcome.CONFLICT, newContainer().store("crm-token", "Bearer stolen-name"));
        // the refused store bound nothing: the name holds its token, and only it (new containers: Vault decides)
        assertEquals(TokenVault.StoreOutcome.ALREADY_BOUND, newContainer().store("crm-token", TOKEN));
        assertEquals(TokenVault.StoreOutcome.CONFLICT, newContainer().store("crm-token", "Bearer stolen-name"));
        assertEquals(1, secretsNamed("crm-token").size());
        assertEquals(TOKEN, newContainer().read("crm-token"));
    }

    /** Regression (reference): check-then-create raced into 409s; two "containers" at once create one secret. */
    @Test
    public void concurrentContainersCreateOneSecret() throws Exception {
        int created = 0;
        for (Object o : AtOnce.run(6, i -> newContainer().store("race-token", TOKEN))) {
            assertTrue(o.toString(), o != TokenVault.StoreOutcome.CONFLICT && o instanceof TokenVault.StoreOutcome);
            created += o == TokenVault.StoreOutcome.CREATED ? 1 : 0;
        }
        assertEquals(1, created);
        assertEquals(1, secretsNamed("race-token").size());
    }

    @Test
    public void vaultOutageIsUnavailableWithoutTheToken() {
        OCI.oci().faults().set("CreateSecret", FaultRule.failing(1.0, 500));
        try {
            newContainer().store("outage-token", TOKEN);
            fail();
        } catch (VaultUnavailableException e) {
            assertEquals(500, e.status());
            assertFalse(e.getMessage().contains("local-oci-secret-token"));
        }
        try {
            newContainer().read("never-created");
            fail();
        } catch (SecretNotFoundException expected) {
            // permanent: a message naming it can never be delivered
        }
    }

    /** The real SDK Secrets client of this class, counting GetSecretBundleByName calls. */
    static Secrets countingSecrets(AtomicInteger bundleReads) {
        return ForwardingProxy.of(Secrets.class, clients.secrets(), (method, args) -> {
            if (method.equals("getSecretBundleByName")) {
                bundleReads.incrementAndGet();
            }
        });
    }

    /** Regression: concurrent reads of one name on a cold cache each called GetSecretBundleByName. */
    @Test
    public void concurrentReadsOnAColdCacheShareOneSecretsCall() throws Exception {
        assertEquals(TokenVault.StoreOutcome.CREATED, newContainer().store("shared-read-token", TOKEN));
        // a slow Secrets answer: every reader arrives while the first call is still out
        OCI.oci().faults().set("GetSecretBundleByName", FaultRule.latency(300));
        AtomicInteger bundleReads = new AtomicInteger();
        TokenVault container = new TokenVault(clients::vaults, () -> countingSecrets(bundleReads), settings);

        List<Object> results = AtOnce.run(12, i -> container.read("shared-read-token"));

        for (Object r : results) {
            assertEquals(TOKEN, r);
        }
        assertEquals(1, bundleReads.get());
        assertEquals(TOKEN, container.read("shared-read-token")); // cached now
        assertEquals(1, bundleReads.get());
    }

    @Test
    public void concurrentReadsOfAMissingNameShareOneCallAndItsAnswer() throws Exception {
        OCI.oci().faults().set("GetSecretBundleByName", FaultRule.latency(300));
        AtomicInteger bundleReads = new AtomicInteger();
        TokenVault container = new TokenVault(clients::vaults, () -> countingSecrets(bundleReads), settings);

        List<Object> results = AtOnce.run(8, i -> container.read("never-stored-token"));

        for (Object r : results) {
            assertTrue(String.valueOf(r), r instanceof SecretNotFoundException);
        }
        assertEquals(1, bundleReads.get());
    }
}
