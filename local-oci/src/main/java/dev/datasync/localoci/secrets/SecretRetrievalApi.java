package dev.datasync.localoci.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.oracle.bmc.secrets.model.Base64SecretBundleContentDetails;
import com.oracle.bmc.secrets.model.SecretBundle;
import com.oracle.bmc.secrets.model.SecretBundleVersionSummary;
import com.oracle.bmc.vault.model.SecretVersion;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.Json;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;
import dev.datasync.localoci.vault.SecretRecord;
import dev.datasync.localoci.vault.SecretRepository;
import dev.datasync.localoci.vault.SecretVersionRecord;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GetSecretBundle, GetSecretBundleByName and ListSecretBundleVersions. A version is chosen by {@code versionNumber},
 * {@code secretVersionName} and/or {@code stage} (all given must match); none given means CURRENT. Content is
 * returned as stored: the caller's base64 text. A secret that is not ACTIVE (pending deletion, deleted) answers
 * 404, as OCI does.
 */
final class SecretRetrievalApi {
    private static final String BASE = "/20190301/secretbundles";

    private final ServiceContext ctx;
    private final SecretRepository secrets;

    SecretRetrievalApi(ServiceContext ctx, SecretRepository secrets) {
        this.ctx = ctx;
        this.secrets = secrets;
    }

    void register(Router router) {
        router.post(BASE + "/actions/getByName", "GetSecretBundleByName", this::getByName)
                .get(BASE + "/{secretId}", "GetSecretBundle", this::getById)
                .get(BASE + "/{secretId}/versions", "ListSecretBundleVersions", this::listVersions);
    }

    private Response getByName(Request request) {
        String name = request.requiredQuery("secretName");
        String vaultId = request.requiredQuery("vaultId");
        long now = ctx.clock().millis();
        SecretRecord secret = secrets.findByName(vaultId, name, now);
        if (secret == null) {
            throw OciException.notFound("Secret " + name + " not found in vault or not authorized");
        }
        return bundle(secret, request, now);
    }

    private Response getById(Request request) {
        String id = request.path("secretId");
        SecretRecord secret = secrets.find(id);
        if (secret == null) {
            throw SecretRepository.notFound(id);
        }
        return bundle(secret, request, ctx.clock().millis());
    }

    private Response bundle(SecretRecord secret, Request request, long now) {
        if (!secret.activeAt(now)) {
            throw SecretRepository.notFound(secret.id());
        }
        Long versionNumber = longQuery(request, "versionNumber");
        String versionName = request.query("secretVersionName");
        SecretVersion.Stages stage = stage(request.query("stage"));
        if (versionNumber == null && versionName == null && stage == null) {
            stage = SecretVersion.Stages.Current;
        }
        SecretVersionRecord chosen = null;
        for (SecretVersionRecord v : secrets.versions(secret.id())) {
            if ((versionNumber == null || v.versionNumber() == versionNumber)
                    && (versionName == null || versionName.equals(v.name()))
                    && (stage == null || v.hasStage(stage))) {
                chosen = v;
            }
        }
        if (chosen == null) {
            throw OciException.notFound("No version of secret " + secret.id() + " matches the request");
        }
        Long expiry = secret.rules().expiryOf(chosen.timeCreatedMillis());
        if (expiry != null && now >= expiry && secret.rules().retrievalBlockedOnExpiry()) {
            // Status/code OCI uses here is not documented; 400 keeps SDK retries off (a 409 IncorrectState would be retried)
            throw OciException.invalidParameter("The secret version has expired and its content retrieval is blocked"
                    + " by the secret's expiry rule");
        }
        SecretBundle body = SecretBundle.builder()
                .secretId(secret.id())
                .versionNumber(chosen.versionNumber())
                .versionName(chosen.name())
                .timeCreated(new Date(chosen.timeCreatedMillis()))
                .timeOfExpiry(expiry == null ? null : new Date(expiry))
                .stages(chosen.stageList().stream().map(s -> SecretBundle.Stages.create(s.getValue()))
                        .collect(Collectors.toList()))
                .metadata(metadata(secret))
                .secretBundleContent(Base64SecretBundleContentDetails.builder().content(chosen.content()).build())
                .build();
        return Response.json(body).header("etag", secret.etag() + "-" + chosen.versionNumber());
    }

    private Response listVersions(Request request) {
        String id = request.path("secretId");
        SecretRecord secret = secrets.find(id);
        long now = ctx.clock().millis();
        if (secret == null || !secret.activeAt(now)) {
            throw SecretRepository.notFound(id);
        }
        List<SecretBundleVersionSummary> out = secrets.versions(id).stream()
                .sorted((a, b) -> Long.compare(b.versionNumber(), a.versionNumber()))
                .map(v -> {
                    Long expiry = secret.rules().expiryOf(v.timeCreatedMillis());
                    return SecretBundleVersionSummary.builder()
                            .secretId(id)
                            .versionNumber(v.versionNumber())
                            .versionName(v.name())
                            .timeCreated(new Date(v.timeCreatedMillis()))
                            .timeOfExpiry(expiry == null ? null : new Date(expiry))
                            .stages(v.stageList().stream()
                                    .map(s -> SecretBundleVersionSummary.Stages.create(s.getValue()))
                                    .collect(Collectors.toList()))
                            .build();
                })
                .collect(Collectors.toList());
        return Response.json(out);
    }

    private static SecretVersion.Stages stage(String value) {
        if (value == null) {
            return null;
        }
        SecretVersion.Stages stage = SecretVersion.Stages.create(value.toUpperCase(Locale.ROOT));
        if (stage == SecretVersion.Stages.UnknownEnumValue) {
            throw OciException.invalidParameter("stage must be one of CURRENT, PENDING, LATEST, PREVIOUS, DEPRECATED");
        }
        return stage;
    }

    private static Long longQuery(Request request, String name) {
        String value = request.query(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw OciException.invalidParameter("Query parameter '" + name + "' must be an integer");
        }
    }

    private static Map<String, Object> metadata(SecretRecord secret) {
        if (secret.metadataJson() == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(secret.metadataJson(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException("stored metadata is unreadable", e);
        }
    }
}
