package dev.datasync.localoci;

import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import org.junit.Rule;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

/**
 * Vault/key/bucket/topic OCIDs are minted once per data directory, and secrets and objects written before a
 * restart are there after it.
 */
public class LocalOciRestartTest {
    @Rule
    public final EmulatorRule emulator = new EmulatorRule();

    @Test
    public void everyStartDrawsANewAdminSecretAndTheOldOneStopsWorking() throws Exception {
        String before = emulator.oci().adminSecret();
        LocalOci oci = emulator.restart();
        assertNotEquals(before, oci.adminSecret());
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(401, http.send(EmulatorRule.admin(oci.baseUrl(), before, "health").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, http.send(EmulatorRule.admin(oci, "health").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    public void declaredResourcesAndDataSurviveARestart() throws Exception {
        byte[] object = {1, 2, 3};
        LocalOci oci = emulator.oci();
        Resources before = oci.resources();
        ConfigFileAuthenticationDetailsProvider provider = EmulatorRule.provider(oci);
        try (VaultsClient vaults = VaultsClient.builder().endpoint(oci.baseUrl()).build(provider);
             ObjectStorageClient os = ObjectStorageClient.builder().endpoint(oci.baseUrl()).build(provider)) {
            vaults.createSecret(CreateSecretRequest.builder().createSecretDetails(CreateSecretDetails.builder()
                    .compartmentId(before.compartments().get("DataSyncCompartment"))
                    .vaultId(before.vaults().get("DataSyncVault"))
                    .keyId(before.keys().get("DataSyncMasterKey")).secretName("kept")
                    .secretContent(Base64SecretContentDetails.builder().content("a2VwdA==").build()).build())
                    .build());
            os.putObject(PutObjectRequest.builder().namespaceName(before.namespace())
                    .bucketName("datasync-error-archive").objectName("kept.bin").contentLength(3L)
                    .putObjectBody(new ByteArrayInputStream(object)).build());
        }

        oci = emulator.restart();
        Resources after = oci.resources();
        assertEquals(before.vaults(), after.vaults());
        assertEquals(before.keys(), after.keys());
        assertEquals(before.buckets(), after.buckets());
        assertEquals(before.topics(), after.topics());
        assertEquals(before.namespace(), after.namespace());
        provider = EmulatorRule.provider(oci);
        try (SecretsClient secrets = SecretsClient.builder().endpoint(oci.baseUrl()).build(provider);
             ObjectStorageClient os = ObjectStorageClient.builder().endpoint(oci.baseUrl()).build(provider)) {
            Base64SecretBundleContentDetails content = (Base64SecretBundleContentDetails) secrets
                    .getSecretBundleByName(GetSecretBundleByNameRequest.builder().secretName("kept")
                            .vaultId(after.vaults().get("DataSyncVault")).build())
                    .getSecretBundle().getSecretBundleContent();
            assertEquals("a2VwdA==", content.getContent());
            try (InputStream in = os.getObject(GetObjectRequest.builder().namespaceName(after.namespace())
                    .bucketName("datasync-error-archive").objectName("kept.bin").build()).getInputStream()) {
                assertArrayEquals(object, in.readAllBytes());
            }
        }
    }
}
