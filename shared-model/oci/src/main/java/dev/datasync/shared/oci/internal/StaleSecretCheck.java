package dev.datasync.shared.oci.internal;

import com.oracle.bmc.vault.Vaults;
import com.oracle.bmc.vault.model.ScheduleSecretDeletionDetails;
import com.oracle.bmc.vault.model.Secret;
import com.oracle.bmc.vault.requests.GetSecretRequest;
import com.oracle.bmc.vault.requests.ScheduleSecretDeletionRequest;
import com.oracle.bmc.vault.responses.GetSecretResponse;
import dev.datasync.shared.log.JsonLog;

import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads one secret and, when it is ours and stale, schedules its deletion guarded by the etag of that read:
 * recording a use changes the etag, so a request that uses the secret meanwhile makes the scheduling fail (412)
 * and the secret stays. A secret without our marker is never touched.
 */
final class StaleSecretCheck {

    /** Answers to ScheduleSecretDeletion that mean "changed since our read": used again, or deleted meanwhile. */
    private static final Set<Integer> CHANGED = Set.of(412, 409, 404);

    private final Supplier<Vaults> vaults;
    private final SecretLifecyclePolicy policy;
    private final SweepMemory memory;
    private final JsonLog log;

    StaleSecretCheck(Supplier<Vaults> vaults, SecretLifecyclePolicy policy, SweepMemory memory, JsonLog log) {
        this.vaults = vaults;
        this.policy = policy;
        this.memory = memory;
        this.log = log;
    }

    void inspect(String id, Instant now, SweepCounts c) {
        c.inspected++;
        GetSecretResponse read;
        try {
            read = vaults.get().getSecret(GetSecretRequest.builder().secretId(id).build());
        } catch (RuntimeException e) {
            if (VaultRequests.status(e) != 404) {
                c.failed++;
                log.warn("secret.sweep_read_failed").status(VaultRequests.status(e)).code(VaultRequests.code(e))
                        .write();
            }
            return;
        }
        Secret secret = read.getSecret();
        if (!TokenSecretMetadata.isOurs(secret.getMetadata())) {
            memory.foreign(id);
            c.foreign++;
            return;
        }
        if (secret.getLifecycleState() != Secret.LifecycleState.Active) {
            return;
        }
        Instant lastUsed = TokenSecretMetadata.lastUsed(secret.getMetadata(), secret.getTimeCreated());
        if (!lastUsed.isBefore(policy.staleBefore(now))) {
            memory.freshUntil(id, policy.freshUntil(lastUsed));
            c.kept++;
            return;
        }
        scheduleDeletion(id, read, now, lastUsed, c);
    }

    private void scheduleDeletion(String id, GetSecretResponse read, Instant now, Instant lastUsed, SweepCounts c) {
        Secret secret = read.getSecret();
        try {
            vaults.get().scheduleSecretDeletion(ScheduleSecretDeletionRequest.builder()
                    .secretId(id)
                    .ifMatch(read.getEtag())
                    .scheduleSecretDeletionDetails(ScheduleSecretDeletionDetails.builder()
                            .timeOfDeletion(Date.from(policy.timeOfDeletion(now))).build())
                    .build());
            memory.forget(id);
            c.scheduled++;
            log.info("secret.deletion_scheduled").secretName(secret.getSecretName())
                    .reason("unused since " + lastUsed).write();
        } catch (RuntimeException e) {
            int status = VaultRequests.status(e);
            if (CHANGED.contains(status)) {
                c.skipped++; // it stays
            } else {
                c.failed++;
                log.warn("secret.sweep_schedule_failed").secretName(secret.getSecretName()).status(status)
                        .code(VaultRequests.code(e)).write();
            }
        }
    }
}
