package dev.datasync.localoci.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.model.SecretSummary;
import dev.datasync.localoci.http.Json;

import java.io.IOException;
import java.util.Date;
import java.util.Map;

/**
 * A stored secret as the Vault API answers it: {@link Secret} (GetSecret, CreateSecret, UpdateSecret) and
 * {@link SecretSummary} (ListSecrets), with the state and the current version's expiry as of {@code now}.
 */
final class SecretModels {

    private final SecretRepository secrets;

    SecretModels(SecretRepository secrets) {
        this.secrets = secrets;
    }

    Secret secret(SecretRecord s, long now) {
        return Secret.builder()
                .id(s.id())
                .compartmentId(s.compartmentId())
                .vaultId(s.vaultId())
                .keyId(s.keyId())
                .secretName(s.name())
                .description(s.description())
                .lifecycleState(s.stateAt(now))
                .timeCreated(new Date(s.timeCreatedMillis()))
                .timeOfDeletion(s.timeOfDeletionMillis() == null ? null : new Date(s.timeOfDeletionMillis()))
                .currentVersionNumber(s.currentVersionNumber())
                .timeOfCurrentVersionExpiry(currentExpiry(s))
                .secretRules(s.rules().rules())
                .metadata(readMap(s.metadataJson(), new TypeReference<Map<String, Object>>() { }))
                .freeformTags(readMap(s.freeformTagsJson(), new TypeReference<Map<String, String>>() { }))
                .definedTags(readMap(s.definedTagsJson(), new TypeReference<Map<String, Map<String, Object>>>() { }))
                .isReplica(false)
                .isAutoGenerationEnabled(false)
                .rotationStatus(Secret.RotationStatus.NotEnabled)
                .build();
    }

    SecretSummary summary(SecretRecord s, long now) {
        Date expiry = currentExpiry(s);
        return SecretSummary.builder()
                .id(s.id())
                .compartmentId(s.compartmentId())
                .vaultId(s.vaultId())
                .keyId(s.keyId())
                .secretName(s.name())
                .description(s.description())
                .lifecycleState(SecretSummary.LifecycleState.create(s.stateAt(now).getValue()))
                .timeCreated(new Date(s.timeCreatedMillis()))
                .timeOfDeletion(s.timeOfDeletionMillis() == null ? null : new Date(s.timeOfDeletionMillis()))
                .timeOfCurrentVersionExpiry(expiry)
                .freeformTags(readMap(s.freeformTagsJson(), new TypeReference<Map<String, String>>() { }))
                .definedTags(readMap(s.definedTagsJson(), new TypeReference<Map<String, Map<String, Object>>>() { }))
                .isReplica(false)
                .isAutoGenerationEnabled(false)
                .rotationStatus(Secret.RotationStatus.NotEnabled)
                .build();
    }

    private Date currentExpiry(SecretRecord s) {
        return secrets.versions(s.id()).stream()
                .filter(v -> v.versionNumber() == s.currentVersionNumber())
                .findFirst()
                .map(v -> s.rules().expiryOf(v.timeCreatedMillis()))
                .map(Date::new)
                .orElse(null);
    }

    private static <T> T readMap(String json, TypeReference<T> type) {
        if (json == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(json, type);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
