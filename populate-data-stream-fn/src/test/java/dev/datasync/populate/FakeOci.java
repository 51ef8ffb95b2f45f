package dev.datasync.populate;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetNamespaceResponse;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.secrets.Secrets;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.responses.PutMessagesResponse;
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

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted Stream, Vaults and Object Storage SDK interfaces for fast handler-logic tests (failure modes that are
 * awkward to provoke on a real service). The wire path through the real SDK is covered by the local-oci integration
 * tests.
 */
final class FakeOci {

    /** Every entry ever accepted, as written. */
    final List<PutMessagesDetailsEntry> written = new CopyOnWriteArrayList<>();
    final Map<String, CreateSecretDetails> secrets = new ConcurrentHashMap<>();
    volatile int putStatus;          // > 0: every PutMessages fails with this status
    volatile int failEntryIndex = -1; // >= 0: that entry of each request fails
    volatile int vaultStatus;        // > 0: every Vault call fails with this status
    /** Names real Vault may keep reserved after their secret was deleted: CreateSecret refuses them. */
    final java.util.Set<String> reservedNames = ConcurrentHashMap.newKeySet();
    /** Source policy objects by source id, as the state bucket holds them. */
    final Map<String, String> sources = new ConcurrentHashMap<>();
    final AtomicInteger registryCalls = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    volatile int registryStatus;     // > 0: every Object Storage call fails with this status
    private long nextOffset;

    Stream stream() {
        return (Stream) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Stream.class},
                (p, m, args) -> {
                    if (!m.getName().equals("putMessages")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    return put((PutMessagesRequest) args[0]);
                });
    }

    private synchronized PutMessagesResponse put(PutMessagesRequest r) {
        if (putStatus > 0) {
            throw new BmcException(putStatus, "ServiceUnavailable", "down", "req");
        }
        List<PutMessagesResultEntry> out = new ArrayList<>();
        List<PutMessagesDetailsEntry> in = r.getPutMessagesDetails().getMessages();
        int failures = 0;
        for (int i = 0; i < in.size(); i++) {
            if (i == failEntryIndex) {
                out.add(PutMessagesResultEntry.builder().error("InternalServerError").errorMessage("x").build());
                failures++;
            } else {
                written.add(in.get(i));
                out.add(PutMessagesResultEntry.builder().partition("0").offset(nextOffset++).build());
            }
        }
        return PutMessagesResponse.builder().putMessagesResult(PutMessagesResult.builder().failures(failures)
                .entries(out).build()).build();
    }

    Vaults vaults() {
        return (Vaults) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Vaults.class},
                (p, m, args) -> {
                    if (vaultStatus > 0) {
                        throw new BmcException(vaultStatus, "InternalServerError", "down", "req");
                    }
                    switch (m.getName()) {
                        case "createSecret": {
                            CreateSecretDetails d = ((CreateSecretRequest) args[0]).getCreateSecretDetails();
                            if (reservedNames.contains(d.getSecretName())) {
                                throw new BmcException(400, "InvalidParameter", "name already exists", "req");
                            }
                            if (secrets.putIfAbsent(d.getSecretName(), d) != null) {
                                throw new BmcException(409, "Conflict", "exists", "req");
                            }
                            return CreateSecretResponse.builder().secret(Secret.builder()
                                    .id("ocid1.vaultsecret.oc1.." + d.getSecretName()).build()).build();
                        }
                        case "listSecrets": {
                            lists.incrementAndGet();
                            String name = ((ListSecretsRequest) args[0]).getName();
                            List<SecretSummary> items = new ArrayList<>();
                            CreateSecretDetails named = name == null ? null : secrets.get(name);
                            for (CreateSecretDetails d : name == null ? secrets.values()
                                    : named == null ? List.<CreateSecretDetails>of() : List.of(named)) {
                                items.add(SecretSummary.builder().id("ocid1.vaultsecret.oc1.." + d.getSecretName())
                                        .secretName(d.getSecretName())
                                        .lifecycleState(SecretSummary.LifecycleState.Active).build());
                            }
                            return ListSecretsResponse.builder().items(items).build();
                        }
                        case "getSecret": {
                            String id = ((GetSecretRequest) args[0]).getSecretId();
                            CreateSecretDetails d = secrets.get(id.substring("ocid1.vaultsecret.oc1..".length()));
                            return GetSecretResponse.builder().secret(Secret.builder().id(id)
                                    .secretName(d.getSecretName()).metadata(d.getMetadata()).build()).build();
                        }
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    /**
     * The source registry: {@code sources/<id>.json} by source id; GetObject of another answers 404 ObjectNotFound,
     * every call fails with {@link #registryStatus} when it is set.
     */
    ObjectStorage objectStorage() {
        return (ObjectStorage) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ObjectStorage.class},
                (p, m, args) -> {
                    registryCalls.incrementAndGet();
                    if (registryStatus > 0) {
                        throw new BmcException(registryStatus, "InternalServerError", "down", "req");
                    }
                    switch (m.getName()) {
                        case "getNamespace":
                            return GetNamespaceResponse.builder().value("testns").build();
                        case "getObject": {
                            String object = ((GetObjectRequest) args[0]).getObjectName();
                            String json = sources.get(object.substring("sources/".length(),
                                    object.length() - ".json".length()));
                            if (json == null) {
                                throw new BmcException(404, "ObjectNotFound", "no object", "req");
                            }
                            return GetObjectResponse.builder().inputStream(new ByteArrayInputStream(
                                    json.getBytes(StandardCharsets.UTF_8))).build();
                        }
                        default:
                            throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    String storedContent(String name) {
        return ((Base64SecretContentDetails) secrets.get(name).getSecretContent()).getContent();
    }

    Secrets secretsClient() {
        return (Secrets) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Secrets.class},
                (p, m, args) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
