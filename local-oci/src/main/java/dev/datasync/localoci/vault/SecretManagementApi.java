package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.CreateSecretDetails;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.SecretContentDetails;
import com.oracle.bmc.vault.model.SecretSummary;
import com.oracle.bmc.vault.model.UpdateSecretDetails;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.Json;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Vault secret management (VaultsClient, API 20180608): CreateSecret, GetSecret, ListSecrets, UpdateSecret,
 * ScheduleSecretDeletion, CancelSecretDeletion. The answers' models are {@link SecretModels}'.
 */
final class SecretManagementApi {
    private static final String BASE = "/20180608/secrets";
    private static final long DAY = Duration.ofDays(1).toMillis();
    /** OCI console/CLI docs: deletion is scheduled 1 to 30 days ahead, 30 by default. */
    static final long MIN_DELETION_DELAY = DAY;
    static final long MAX_DELETION_DELAY = 30 * DAY;

    private final ServiceContext ctx;
    private final VaultRepository vaults;
    private final SecretRepository secrets;
    private final SecretModels models;

    SecretManagementApi(ServiceContext ctx, VaultRepository vaults, SecretRepository secrets) {
        this.ctx = ctx;
        this.vaults = vaults;
        this.secrets = secrets;
        this.models = new SecretModels(secrets);
    }

    void register(Router router) {
        router.postWithRetryToken(BASE, "CreateSecret", this::createSecret)
                .get(BASE, "ListSecrets", this::listSecrets)
                .get(BASE + "/{secretId}", "GetSecret", this::getSecret)
                .put(BASE + "/{secretId}", "UpdateSecret", this::updateSecret)
                .post(BASE + "/{secretId}/actions/scheduleDeletion", "ScheduleSecretDeletion", this::scheduleDeletion)
                .post(BASE + "/{secretId}/actions/cancelDeletion", "CancelSecretDeletion", this::cancelDeletion);
    }

    private Response createSecret(Request request) {
        CreateSecretDetails d = request.bodyAs(CreateSecretDetails.class);
        require(d.getCompartmentId(), "compartmentId");
        require(d.getVaultId(), "vaultId");
        require(d.getKeyId(), "keyId");
        require(d.getSecretName(), "secretName");
        if (d.getSecretName().length() > 255) {
            throw OciException.invalidParameter("secretName must be at most 255 characters");
        }
        if (Boolean.TRUE.equals(d.getEnableAutoGeneration()) || d.getSecretGenerationContext() != null) {
            throw OciException.invalidParameter("Secret auto-generation is not supported by local-oci");
        }
        if (d.getSecretContent() == null) {
            throw OciException.missingParameter("secretContent is required");
        }
        ctx.compartments().require(d.getCompartmentId());
        VaultRepository.VaultRecord vault = vaults.findVault(d.getVaultId());
        if (vault == null) {
            throw OciException.notFound("Vault " + d.getVaultId() + " not found or not authorized");
        }
        VaultRepository.KeyRecord key = vaults.findKey(d.getKeyId());
        if (key == null || !key.vaultId().equals(vault.id())) {
            throw OciException.invalidParameter("keyId must be a master encryption key of the vault");
        }
        String content = SecretContent.validate(d.getSecretContent());
        if (d.getSecretContent().getStage() == SecretContentDetails.Stage.Pending) {
            throw OciException.invalidParameter("The first version of a secret must be CURRENT");
        }
        long now = ctx.clock().millis();
        SecretRules rules = SecretRules.validate(d.getSecretRules(), now);
        SecretRecord created = secrets.create(new SecretRepository.NewSecret(ctx.ocids().regional("vaultsecret"),
                vault.id(), d.getCompartmentId(), key.id(), d.getSecretName(), d.getDescription(), content,
                d.getSecretContent().getName(), rules, json(d.getMetadata()), json(d.getFreeformTags()),
                json(d.getDefinedTags())), now);
        return Response.json(models.secret(created, now)).header("etag", created.etag());
    }

    private Response getSecret(Request request) {
        SecretRecord secret = existing(request.path("secretId"));
        long now = ctx.clock().millis();
        return Response.json(models.secret(secret, now)).header("etag", secret.etag());
    }

    private Response listSecrets(Request request) {
        String compartmentId = request.requiredQuery("compartmentId");
        ctx.compartments().require(compartmentId);
        String name = request.query("name");
        String vaultId = request.query("vaultId");
        String state = request.query("lifecycleState");
        int limit = request.queryInt("limit") == null ? 1000 : request.queryInt("limit");
        if (limit < 1 || limit > 1000) {
            throw OciException.invalidParameter("limit must be between 1 and 1000");
        }
        String sortBy = request.query("sortBy") == null ? "TIMECREATED" : request.query("sortBy");
        String sortOrder = request.query("sortOrder") == null
                ? (sortBy.equals("NAME") ? "ASC" : "DESC") : request.query("sortOrder");
        Comparator<SecretRecord> order = switch (sortBy) {
            case "NAME" -> Comparator.comparing(SecretRecord::name).thenComparing(SecretRecord::seq);
            case "TIMECREATED" -> Comparator.comparing(SecretRecord::timeCreatedMillis).thenComparing(SecretRecord::seq);
            default -> throw OciException.invalidParameter("sortBy must be TIMECREATED or NAME");
        };
        if (sortOrder.equals("DESC")) {
            order = order.reversed();
        } else if (!sortOrder.equals("ASC")) {
            throw OciException.invalidParameter("sortOrder must be ASC or DESC");
        }
        long now = ctx.clock().millis();
        List<SecretRecord> matching = secrets.listInCompartment(compartmentId).stream()
                .filter(s -> name == null || s.name().equals(name))
                .filter(s -> vaultId == null || s.vaultId().equals(vaultId))
                .filter(s -> state == null || s.stateAt(now).getValue().equalsIgnoreCase(state))
                .sorted(order)
                .collect(Collectors.toList());
        int start = page(request.query("page"));
        int end = Math.min(matching.size(), start + limit);
        List<SecretSummary> page = matching.subList(Math.min(start, matching.size()), end).stream()
                .map(s -> models.summary(s, now)).collect(Collectors.toList());
        Response response = Response.json(page);
        if (end < matching.size()) {
            response.header("opc-next-page", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8)));
        }
        return response;
    }

    private Response updateSecret(Request request) {
        UpdateSecretDetails d = request.bodyAs(UpdateSecretDetails.class);
        String id = request.path("secretId");
        existing(id);
        if (d.getSecretContent() != null && d.getCurrentVersionNumber() != null) {
            throw OciException.invalidParameter(
                    "secretContent and currentVersionNumber cannot be updated at the same time");
        }
        if (Boolean.TRUE.equals(d.getEnableAutoGeneration()) || d.getSecretGenerationContext() != null) {
            throw OciException.invalidParameter("Secret auto-generation is not supported by local-oci");
        }
        long now = ctx.clock().millis();
        SecretRules rules = d.getSecretRules() == null ? null : SecretRules.validate(d.getSecretRules(), now);
        String content = d.getSecretContent() == null ? null : SecretContent.validate(d.getSecretContent());
        boolean pending = d.getSecretContent() != null
                && d.getSecretContent().getStage() == SecretContentDetails.Stage.Pending;
        SecretRecord updated = secrets.update(id, request.header("if-match"), now,
                new SecretRepository.SecretUpdate(d.getDescription(), json(d.getMetadata()),
                        json(d.getFreeformTags()), json(d.getDefinedTags()), rules, content,
                        d.getSecretContent() == null ? null : d.getSecretContent().getName(), pending,
                        d.getCurrentVersionNumber()));
        return Response.json(models.secret(updated, now)).header("etag", updated.etag());
    }

    private Response scheduleDeletion(Request request) {
        String id = request.path("secretId");
        existing(id);
        long now = ctx.clock().millis();
        long timeOfDeletion = now + MAX_DELETION_DELAY;
        if (request.body().length > 0) {
            ScheduleSecretDeletionDetails d = request.bodyAs(ScheduleSecretDeletionDetails.class);
            if (d.getTimeOfDeletion() != null) {
                timeOfDeletion = d.getTimeOfDeletion().getTime();
                if (timeOfDeletion < now + MIN_DELETION_DELAY || timeOfDeletion > now + MAX_DELETION_DELAY) {
                    throw OciException.invalidParameter("timeOfDeletion must be between 1 and 30 days from now");
                }
            }
        }
        SecretRecord scheduled = secrets.scheduleDeletion(id, request.header("if-match"), timeOfDeletion, now);
        return Response.empty(200).header("etag", scheduled.etag());
    }

    private Response cancelDeletion(Request request) {
        String id = request.path("secretId");
        existing(id);
        SecretRecord cancelled = secrets.cancelDeletion(id, request.header("if-match"), ctx.clock().millis());
        return Response.empty(200).header("etag", cancelled.etag());
    }

    private SecretRecord existing(String id) {
        SecretRecord secret = secrets.find(id);
        if (secret == null) {
            throw SecretRepository.notFound(id);
        }
        return secret;
    }

    private static void require(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw OciException.missingParameter(field + " is required");
        }
    }

    private static int page(String token) {
        if (token == null) {
            return 0;
        }
        try {
            return Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw OciException.invalidParameter("page is not a valid page token");
        }
    }

    private static String json(Object value) {
        return value == null ? null : new String(Json.write(value), StandardCharsets.UTF_8);
    }
}
