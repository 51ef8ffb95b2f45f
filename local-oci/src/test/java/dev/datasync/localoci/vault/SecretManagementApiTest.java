package dev.datasync.localoci.vault;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.SecretsClient;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.model.SecretBundleVersionSummary;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.secrets.requests.GetSecretBundleRequest;
import com.oracle.bmc.secrets.requests.ListSecretBundleVersionsRequest;
import com.oracle.bmc.vault.VaultsClient;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretContentDetails;
import com.oracle.bmc.vault.model.SecretExpiryRule;
import com.oracle.bmc.vault.model.SecretReuseRule;
import com.oracle.bmc.vault.model.SecretRule;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import com.oracle.bmc.vault.requests.CancelSecretDeletionRequest;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.requests.UpdateSecretRequest;
import com.oracle.bmc.vault.responses.CreateSecretResponse;
import com.oracle.bmc.vault.responses.ListSecretsResponse;
import dev.datasync.localoci.LocalOciTestBase;
import dev.datasync.localoci.fault.FaultRule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.datasync.localoci.EmulatorRule.noRetries;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Vault secret management and Secret retrieval through the real VaultsClient and SecretsClient. */
public class SecretManagementApiTest extends LocalOciTestBase {
    private static VaultsClient vaults;
    private static SecretsClient secrets;
    private static String compartment;
    private static String vaultId;
    private static String keyId;

    @BeforeClass
    public static void clients() {
        vaults = VaultsClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        secrets = SecretsClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        compartment = oci.resources().compartments().get("DataSyncCompartment");
        vaultId = oci.resources().vaults().get("DataSyncVault");
        keyId = oci.resources().keys().get("DataSyncMasterKey");
    }

    @AfterClass
    public static void closeClients() {
        vaults.close();
        secrets.close();
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static CreateSecretDetails.Builder details(String name, String content) {
        return CreateSecretDetails.builder().compartmentId(compartment).vaultId(vaultId).keyId(keyId)
                .secretName(name)
                .secretContent(Base64SecretContentDetails.builder().content(content).build());
    }

    private static Secret create(CreateSecretDetails details) {
        return vaults.createSecret(CreateSecretRequest.builder().createSecretDetails(details).build()).getSecret();
    }

    private static Secret update(String id, UpdateSecretDetails details) {
        return vaults.updateSecret(UpdateSecretRequest.builder().secretId(id).updateSecretDetails(details).build())
                .getSecret();
    }

    private static Secret updateContent(String id, String text, SecretContentDetails.Stage stage) {
        return update(id, UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                .content(b64(text)).stage(stage).build()).build());
    }

    private static SecretBundle byName(String name) {
        return secrets.getSecretBundleByName(GetSecretBundleByNameRequest.builder().secretName(name)
                .vaultId(vaultId).build()).getSecretBundle();
    }

    private static String text(SecretBundle bundle) {
        String content = ((Base64SecretBundleContentDetails) bundle.getSecretBundleContent()).getContent();
        return new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8);
    }

    private static List<String> stages(SecretBundle bundle) {
        return bundle.getStages().stream().map(SecretBundle.Stages::getValue).collect(Collectors.toList());
    }

    private static BmcException expectError(int status, String code, Runnable call) {
        try {
            call.run();
        } catch (BmcException e) {
            assertEquals(e.getMessage(), status, e.getStatusCode());
            assertEquals(e.getMessage(), code, e.getServiceCode());
            assertNotNull(e.getOpcRequestId());
            return e;
        }
        fail("expected " + status + " " + code);
        return null;
    }

    @Test
    public void createdSecretIsReadableByNameAndIdWithContentVerbatim() {
        String name = unique("apiAuth");
        String content = b64("Bearer abc.def");
        CreateSecretResponse response = vaults.createSecret(CreateSecretRequest.builder()
                .createSecretDetails(details(name, content).description("token").metadata(Map.of("k", "v"))
                        .freeformTags(Map.of("app", "datasync")).build()).build());
        Secret secret = response.getSecret();
        assertTrue(secret.getId().startsWith("ocid1.vaultsecret.oc1.iad."));
        assertEquals(Secret.LifecycleState.Active, secret.getLifecycleState());
        assertEquals(name, secret.getSecretName());
        assertEquals(vaultId, secret.getVaultId());
        assertEquals(keyId, secret.getKeyId());
        assertEquals(compartment, secret.getCompartmentId());
        assertEquals(1L, (long) secret.getCurrentVersionNumber());
        assertEquals("token", secret.getDescription());
        assertEquals(Map.of("app", "datasync"), secret.getFreeformTags());
        assertNotNull(response.getEtag());

        Secret fetched = vaults.getSecret(GetSecretRequest.builder().secretId(secret.getId()).build()).getSecret();
        assertEquals(secret.getId(), fetched.getId());
        assertEquals(Map.of("k", "v"), fetched.getMetadata());

        SecretBundle bundle = byName(name);
        assertEquals(secret.getId(), bundle.getSecretId());
        assertEquals(1L, (long) bundle.getVersionNumber());
        assertEquals(content, ((Base64SecretBundleContentDetails) bundle.getSecretBundleContent()).getContent());
        assertEquals("Bearer abc.def", text(bundle));
        assertEquals(List.of("CURRENT", "LATEST"), stages(bundle));
        assertEquals(Map.of("k", "v"), bundle.getMetadata());

        SecretBundle byId = secrets.getSecretBundle(GetSecretBundleRequest.builder().secretId(secret.getId())
                .build()).getSecretBundle();
        assertEquals("Bearer abc.def", text(byId));
    }

    @Test
    public void listSecretsFiltersByNameVaultAndState() {
        String name = unique("listed");
        Secret a = create(details(name, b64("a")).build());
        create(details(unique("other"), b64("b")).build());
        List<SecretSummary> byName = vaults.listSecrets(ListSecretsRequest.builder().compartmentId(compartment)
                .name(name).vaultId(vaultId).lifecycleState(SecretSummary.LifecycleState.Active).build()).getItems();
        assertEquals(1, byName.size());
        assertEquals(a.getId(), byName.get(0).getId());
        assertEquals(name, byName.get(0).getSecretName());
        assertTrue(vaults.listSecrets(ListSecretsRequest.builder().compartmentId(compartment).name(name)
                .lifecycleState(SecretSummary.LifecycleState.PendingDeletion).build()).getItems().isEmpty());
        assertTrue(vaults.listSecrets(ListSecretsRequest.builder().compartmentId(oci.resources().tenancy()).name(name)
                .build()).getItems().isEmpty());

        ListSecretsResponse firstPage = vaults.listSecrets(ListSecretsRequest.builder().compartmentId(compartment)
                .limit(1).sortBy(ListSecretsRequest.SortBy.Name).sortOrder(ListSecretsRequest.SortOrder.Asc).build());
        assertEquals(1, firstPage.getItems().size());
        assertNotNull(firstPage.getOpcNextPage());
        ListSecretsResponse second = vaults.listSecrets(ListSecretsRequest.builder().compartmentId(compartment)
                .limit(1).page(firstPage.getOpcNextPage()).sortBy(ListSecretsRequest.SortBy.Name)
                .sortOrder(ListSecretsRequest.SortOrder.Asc).build());
        assertTrue(firstPage.getItems().get(0).getSecretName()
                .compareTo(second.getItems().get(0).getSecretName()) <= 0);
    }

    @Test
    public void nonBase64ContentIsRejectedAndNothingIsCreated() {
        String name = unique("raw");
        BmcException e = expectError(400, "InvalidParameter",
                () -> create(details(name, "Basic dXNlcjpw YXNz!").build()));
        assertFalse("secret content must not be echoed", e.getMessage().contains("dXNlcjpw"));
        assertTrue(vaults.listSecrets(ListSecretsRequest.builder().compartmentId(compartment).name(name).build())
                .getItems().isEmpty());
    }

    @Test
    public void requiredFieldsUnknownVaultKeyAndCompartment() {
        expectError(400, "MissingParameter", () -> create(CreateSecretDetails.builder().compartmentId(compartment)
                .vaultId(vaultId).secretName(unique("nokey"))
                .secretContent(Base64SecretContentDetails.builder().content(b64("x")).build()).build()));
        expectError(400, "MissingParameter", () -> create(CreateSecretDetails.builder().compartmentId(compartment)
                .vaultId(vaultId).keyId(keyId).secretName(unique("nocontent")).build()));
        expectError(404, "NotAuthorizedOrNotFound", () -> create(details(unique("v"), b64("x"))
                .vaultId("ocid1.vault.oc1.iad.unknown").build()));
        expectError(400, "InvalidParameter", () -> create(details(unique("k"), b64("x"))
                .keyId("ocid1.key.oc1.iad.unknown").build()));
        expectError(404, "NotAuthorizedOrNotFound", () -> create(details(unique("c"), b64("x"))
                .compartmentId("ocid1.compartment.oc1..unknown").build()));
        expectError(400, "InvalidParameter", () -> create(details(unique("big"),
                Base64.getEncoder().encodeToString(new byte[SecretContent.MAX_DECODED_BYTES + 1])).build()));
        expectError(404, "NotAuthorizedOrNotFound",
                () -> vaults.getSecret(GetSecretRequest.builder().secretId("ocid1.vaultsecret.oc1.iad.nope").build()));
        expectError(404, "NotAuthorizedOrNotFound", () -> byName(unique("missing")));
    }

    @Test
    public void duplicateNameInTheSameVaultIsAConflict() {
        String name = unique("dup");
        create(details(name, b64("one")).build());
        expectError(409, "Conflict", () -> create(details(name, b64("two")).build()));
        assertEquals("one", text(byName(name)));
    }

    @Test
    public void concurrentCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
        String name = unique("race");
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String content = b64("token-" + i);
            results.add(pool.submit(() -> {
                go.await();
                try {
                    create(details(name, content).build());
                    return 200;
                } catch (BmcException e) {
                    return e.getStatusCode();
                }
            }));
        }
        go.countDown();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertEquals(statuses.toString(), 1, statuses.stream().filter(s -> s == 200).count());
        assertEquals(statuses.toString(), threads - 1, statuses.stream().filter(s -> s == 409).count());
        assertEquals(1, vaults.listSecrets(ListSecretsRequest.builder().compartmentId(compartment).name(name).build())
                .getItems().size());
    }

    @Test
    public void unsignedRequestsAreRefused() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(oci.baseUrl()
                        + "/20190301/secretbundles/actions/getByName?secretName=x&vaultId=" + vaultId))
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("NotAuthenticated"));
    }

    @Test
    public void updatesMoveStagesAsOnOci() {
        String name = unique("rotated");
        Secret secret = create(details(name, b64("v1")).build());
        String id = secret.getId();
        assertEquals(2L, (long) updateContent(id, "v2", null).getCurrentVersionNumber());
        assertEquals(3L, (long) updateContent(id, "v3", SecretContentDetails.Stage.Current).getCurrentVersionNumber());
        assertEquals(List.of("DEPRECATED"), stages(version(id, 1L, null)));
        assertEquals(List.of("PREVIOUS"), stages(version(id, 2L, null)));
        assertEquals("v2", text(version(id, null, SecretBundle.Stages.Previous)));

        Secret afterPending = updateContent(id, "v4", SecretContentDetails.Stage.Pending);
        assertEquals("a PENDING version does not become current", 3L, (long) afterPending.getCurrentVersionNumber());
        assertEquals(List.of("CURRENT"), stages(version(id, 3L, null)));
        assertEquals(List.of("PENDING", "LATEST"), stages(version(id, null, SecretBundle.Stages.Pending)));
        assertEquals("v3", text(byName(name)));
        assertEquals("v4", text(version(id, null, SecretBundle.Stages.Latest)));

        Secret promoted = update(id, UpdateSecretDetails.builder().currentVersionNumber(4L).build());
        assertEquals(4L, (long) promoted.getCurrentVersionNumber());
        assertEquals(List.of("CURRENT", "LATEST"), stages(byName(name)));
        assertEquals(List.of("PREVIOUS"), stages(version(id, 3L, null)));
        assertEquals(List.of("DEPRECATED"), stages(version(id, 2L, null)));

        List<SecretBundleVersionSummary> listed = secrets.listSecretBundleVersions(
                ListSecretBundleVersionsRequest.builder().secretId(id).build()).getItems();
        assertEquals(4, listed.size());
        assertEquals(4L, (long) listed.get(0).getVersionNumber());

        expectError(400, "InvalidParameter", () -> update(id, UpdateSecretDetails.builder()
                .currentVersionNumber(9L).build()));
        expectError(400, "InvalidParameter", () -> update(id, UpdateSecretDetails.builder()
                .currentVersionNumber(1L).secretContent(Base64SecretContentDetails.builder().content(b64("x")).build())
                .build()));
        expectError(404, "NotAuthorizedOrNotFound", () -> version(id, 42L, null));
        expectError(400, "InvalidParameter", () -> update(id, UpdateSecretDetails.builder().secretContent(
                Base64SecretContentDetails.builder().content("not base64 !").build()).build()));
    }

    private static SecretBundle version(String id, Long number, SecretBundle.Stages stage) {
        return secrets.getSecretBundle(GetSecretBundleRequest.builder().secretId(id).versionNumber(number)
                .stage(stage == null ? null : GetSecretBundleRequest.Stage.create(stage.getValue())).build())
                .getSecretBundle();
    }

    @Test
    public void versionNamesAreUniqueAndSelectable() {
        Secret secret = create(details(unique("named"), null).secretContent(Base64SecretContentDetails.builder()
                .content(b64("first")).name("v-one").build()).build());
        update(secret.getId(), UpdateSecretDetails.builder().secretContent(Base64SecretContentDetails.builder()
                .content(b64("second")).name("v-two").build()).build());
        SecretBundle named = secrets.getSecretBundle(GetSecretBundleRequest.builder().secretId(secret.getId())
                .secretVersionName("v-one").build()).getSecretBundle();
        assertEquals("first", text(named));
        assertEquals("v-one", named.getVersionName());
        expectError(400, "InvalidParameter", () -> update(secret.getId(), UpdateSecretDetails.builder()
                .secretContent(Base64SecretContentDetails.builder().content(b64("third")).name("v-one").build())
                .build()));
    }

    /**
     * OCI: "Updating the secret content automatically creates a new secret version" (UpdateSecret javadoc and CLI
     * reference); an update of metadata alone does not, and replaces the whole metadata map. Populate relies on
     * this to record a secret's last use without piling up versions.
     */
    @Test
    public void metadataOnlyUpdateCreatesNoVersionAndReplacesTheMetadata() {
        String name = unique("touched");
        Secret secret = create(details(name, b64("token")).metadata(Map.of("a", "1", "b", "2")).build());
        String etag = vaults.getSecret(GetSecretRequest.builder().secretId(secret.getId()).build()).getEtag();
        Secret updated = vaults.updateSecret(UpdateSecretRequest.builder().secretId(secret.getId()).ifMatch(etag)
                .updateSecretDetails(UpdateSecretDetails.builder().metadata(Map.of("a", "3")).build()).build())
                .getSecret();
        assertEquals(1L, (long) updated.getCurrentVersionNumber());
        assertEquals(Map.of("a", "3"), updated.getMetadata());
        assertEquals(secret.getTimeOfCurrentVersionExpiry(), updated.getTimeOfCurrentVersionExpiry());
        assertEquals(1, secrets.listSecretBundleVersions(ListSecretBundleVersionsRequest.builder()
                .secretId(secret.getId()).build()).getItems().size());
        assertEquals("token", text(byName(name)));
        assertFalse("a change is a new etag", etag.equals(vaults.getSecret(GetSecretRequest.builder()
                .secretId(secret.getId()).build()).getEtag()));
    }

    @Test
    public void ifMatchMustCarryTheCurrentEtag() {
        CreateSecretResponse created = vaults.createSecret(CreateSecretRequest.builder()
                .createSecretDetails(details(unique("etag"), b64("x")).build()).build());
        String id = created.getSecret().getId();
        expectError(412, "NoEtagMatch", () -> vaults.updateSecret(UpdateSecretRequest.builder().secretId(id)
                .ifMatch("stale").updateSecretDetails(UpdateSecretDetails.builder().description("d").build()).build()));
        String etag = vaults.getSecret(GetSecretRequest.builder().secretId(id).build()).getEtag();
        assertEquals(created.getEtag(), etag);
        String newEtag = vaults.updateSecret(UpdateSecretRequest.builder().secretId(id).ifMatch(etag)
                .updateSecretDetails(UpdateSecretDetails.builder().description("d").build()).build()).getEtag();
        assertFalse(etag.equals(newEtag));
    }

    @Test
    public void scheduledDeletionHidesTheSecretUntilCancelledAndDeletesItAfterTheDate() {
        String name = unique("doomed");
        Secret secret = create(details(name, b64("payload")).build());
        String id = secret.getId();
        Date tooSoon = Date.from(clock.instant().plus(Duration.ofHours(2)));
        expectError(400, "InvalidParameter", () -> schedule(id, tooSoon));
        Date tooLate = Date.from(clock.instant().plus(Duration.ofDays(31)));
        expectError(400, "InvalidParameter", () -> schedule(id, tooLate));

        schedule(id, Date.from(clock.instant().plus(Duration.ofDays(2))));
        Secret pending = vaults.getSecret(GetSecretRequest.builder().secretId(id).build()).getSecret();
        assertEquals(Secret.LifecycleState.PendingDeletion, pending.getLifecycleState());
        assertNotNull(pending.getTimeOfDeletion());
        expectError(404, "NotAuthorizedOrNotFound", () -> byName(name));
        expectError(409, "IncorrectState", () -> updateContent(id, "new", null));
        expectError(409, "IncorrectState", () -> schedule(id, null));
        expectError(409, "Conflict", () -> create(details(name, b64("again")).build()));

        vaults.cancelSecretDeletion(CancelSecretDeletionRequest.builder().secretId(id).build());
        assertEquals("payload", text(byName(name)));
        expectError(409, "IncorrectState",
                () -> vaults.cancelSecretDeletion(CancelSecretDeletionRequest.builder().secretId(id).build()));

        schedule(id, null); // default: 30 days ahead
        clock.advance(Duration.ofDays(31));
        assertEquals(Secret.LifecycleState.Deleted,
                vaults.getSecret(GetSecretRequest.builder().secretId(id).build()).getSecret().getLifecycleState());
        expectError(409, "IncorrectState",
                () -> vaults.cancelSecretDeletion(CancelSecretDeletionRequest.builder().secretId(id).build()));
        Secret reborn = create(details(name, b64("reborn")).build());
        assertEquals("reborn", text(byName(name)));
        assertFalse(reborn.getId().equals(id));
    }

    private static void schedule(String id, Date when) {
        vaults.scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder().secretId(id)
                .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder().timeOfDeletion(when).build())
                .build());
    }

    private static SecretRule expiry(String interval, boolean blocked) {
        return SecretExpiryRule.builder().secretVersionExpiryInterval(interval)
                .isSecretContentRetrievalBlockedOnExpiry(blocked).build();
    }

    @Test
    public void expiryIntervalIsValidatedLikeOci() {
        for (String bad : List.of("P0D", "P91D", "PT24H", "P1W", "30D")) {
            expectError(400, "InvalidParameter", () -> create(details(unique("exp"), b64("x"))
                    .secretRules(List.of(expiry(bad, false))).build()));
        }
        Secret ok = create(details(unique("exp"), b64("x")).secretRules(List.of(expiry("P90D", false))).build());
        assertEquals(1, ok.getSecretRules().size());
        expectError(400, "InvalidParameter", () -> create(details(unique("abs"), b64("x"))
                .secretRules(List.of(SecretExpiryRule.builder()
                        .timeOfAbsoluteExpiry(Date.from(clock.instant().plus(Duration.ofHours(1)))).build())).build()));
    }

    @Test
    public void expiredVersionIsBlockedOnlyWhileTheRuleSaysSo() {
        String name = unique("expiring");
        Secret secret = create(details(name, b64("short-lived")).secretRules(List.of(expiry("P1D", true))).build());
        assertEquals(secret.getTimeCreated().getTime() + Duration.ofDays(1).toMillis(),
                secret.getTimeOfCurrentVersionExpiry().getTime());
        SecretBundle fresh = byName(name);
        assertEquals("short-lived", text(fresh));
        assertNotNull(fresh.getTimeOfExpiry());

        clock.advance(Duration.ofHours(25));
        BmcException blocked = expectError(400, "InvalidParameter", () -> byName(name));
        assertTrue(blocked.getMessage().contains("expired"));

        update(secret.getId(), UpdateSecretDetails.builder().secretRules(List.of(expiry("P1D", false))).build());
        assertEquals("short-lived", text(byName(name)));

        update(secret.getId(), UpdateSecretDetails.builder().secretRules(List.of(expiry("P1D", true))).build());
        updateContent(secret.getId(), "renewed", null);
        assertEquals("a new version restarts the expiry timer", "renewed", text(byName(name)));
    }

    @Test
    public void reuseRuleRefusesEarlierContent() {
        Secret secret = create(details(unique("reuse"), b64("same"))
                .secretRules(List.of(SecretReuseRule.builder().isEnforcedOnDeletedSecretVersions(true).build())).build());
        expectError(400, "InvalidParameter", () -> updateContent(secret.getId(), "same", null));
        assertEquals(2L, (long) updateContent(secret.getId(), "different", null).getCurrentVersionNumber());
    }

    @Test
    public void injectedFaultsReachTheClient() {
        String name = unique("faulty");
        create(details(name, b64("x")).build());
        oci.faults().set("GetSecretBundleByName", FaultRule.failing(1.0, 503));
        expectError(503, "ServiceUnavailable", () -> byName(name));
        oci.faults().set("CreateSecret", FaultRule.failing(1.0, 429));
        expectError(429, "TooManyRequests", () -> create(details(unique("throttled"), b64("x")).build()));
        oci.faults().clear();
        assertEquals("x", text(byName(name)));
    }
}
