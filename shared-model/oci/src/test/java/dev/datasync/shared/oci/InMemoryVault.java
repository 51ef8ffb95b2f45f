package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.requests.GetSecretBundleByNameRequest;
import com.oracle.bmc.secrets.responses.GetSecretBundleByNameResponse;
import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.requests.CreateSecretRequest;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ListSecretsRequest;
import com.oracle.bmc.vault.responses.CreateSecretResponse;
import com.oracle.bmc.vault.responses.GetSecretResponse;
import com.oracle.bmc.vault.responses.ListSecretsResponse;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of the Vaults/Secrets SDK interfaces with OCI's observable rules (base64 content, 409 on duplicate
 * names) for fast, deterministic logic tests of {@link TokenVault}, including races. The same class is proven
 * against local-oci through the real SDK in {@code TokenVaultLocalOciTest}.
 */
final class InMemoryVault {

    record Stored(String id, String name, String content, Map<String, Object> metadata, CreateSecretDetails details) {
    }

    final Map<String, Stored> byName = new ConcurrentHashMap<>();
    final AtomicInteger creates = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger bundleReads = new AtomicInteger();
    volatile long createDelayMs;
    volatile int failStatus; // when > 0 every call fails with it

    Vaults vaults() {
        return (Vaults) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Vaults.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "createSecret" -> create((CreateSecretRequest) args[0]);
                    case "listSecrets" -> list((ListSecretsRequest) args[0]);
                    case "getSecret" -> get((GetSecretRequest) args[0]);
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    Secrets secrets() {
        return (Secrets) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Secrets.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSecretBundleByName" -> bundle((GetSecretBundleByNameRequest) args[0]);
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A secret someone else created (no fingerprint), e.g. by the reference sample. */
    void putForeign(String name, String content) {
        byName.put(name, new Stored("ocid1.vaultsecret.oc1..f" + name, name, content, Map.of(), null));
    }

    private void maybeFail() {
        if (failStatus > 0) {
            throw new BmcException(failStatus, "InternalServerError", "boom", "req");
        }
    }

    private CreateSecretResponse create(CreateSecretRequest r) throws InterruptedException {
        maybeFail();
        creates.incrementAndGet();
        CreateSecretDetails d = r.getCreateSecretDetails();
        String content = ((Base64SecretContentDetails) d.getSecretContent()).getContent();
        Base64.getDecoder().decode(content); // OCI: 400 for non-base64; here the test fails loudly
        if (createDelayMs > 0) {
            Thread.sleep(createDelayMs);
        }
        Stored s = new Stored("ocid1.vaultsecret.oc1..s" + creates.get(), d.getSecretName(), content,
                d.getMetadata(), d);
        if (byName.putIfAbsent(d.getSecretName(), s) != null) {
            throw new BmcException(409, "Conflict", "secret name exists", "req");
        }
        return CreateSecretResponse.builder().secret(Secret.builder().id(s.id).secretName(s.name)
                .lifecycleState(Secret.LifecycleState.Creating).build()).build();
    }

    private ListSecretsResponse list(ListSecretsRequest r) {
        maybeFail();
        lists.incrementAndGet();
        List<SecretSummary> items = new ArrayList<>();
        Stored s = byName.get(r.getName());
        if (s != null) {
            items.add(SecretSummary.builder().id(s.id).secretName(s.name)
                    .lifecycleState(SecretSummary.LifecycleState.Active).build());
        }
        return ListSecretsResponse.builder().items(items).build();
    }

    private GetSecretResponse get(GetSecretRequest r) {
        maybeFail();
        Stored s = byName.values().stream().filter(x -> x.id.equals(r.getSecretId())).findFirst()
                .orElseThrow(() -> new BmcException(404, "NotAuthorizedOrNotFound", "no", "req"));
        return GetSecretResponse.builder().secret(Secret.builder().id(s.id).secretName(s.name)
                .metadata(s.metadata).lifecycleState(Secret.LifecycleState.Active).build()).build();
    }

    private GetSecretBundleByNameResponse bundle(GetSecretBundleByNameRequest r) {
        maybeFail();
        bundleReads.incrementAndGet();
        Stored s = byName.get(r.getSecretName());
        if (s == null) {
            throw new BmcException(404, "NotAuthorizedOrNotFound", "no", "req");
        }
        return GetSecretBundleByNameResponse.builder().secretBundle(SecretBundle.builder().secretId(s.id)
                .secretBundleContent(Base64SecretBundleContentDetails.builder().content(s.content).build())
                .build()).build();
    }
}
