package dev.datasync.shared.oci.internal;

import dev.datasync.shared.config.VaultSettings;

import java.time.Duration;
import java.time.Instant;

/**
 * How long token secrets live. A use is recorded in the secret's metadata at most once per {@code touchInterval},
 * so the recorded last use may lag the real one by up to that interval; a secret is therefore stale only when its
 * recorded last use is older than {@code retention + touchInterval}. A stale secret is scheduled for deletion
 * {@code deletionDelay} ahead (OCI accepts 1 to 30 days), during which a request presenting its token restores it.
 * Guarantee: a secret is never scheduled for deletion earlier than {@code retention} after any request that used it.
 */
public record SecretLifecyclePolicy(Duration retention, Duration touchInterval, Duration deletionDelay) {

    public static final Duration TOUCH_INTERVAL = Duration.ofDays(1);
    /** OCI's minimum is one day; the extra hour absorbs clock skew between the container and Vault. */
    public static final Duration DELETION_DELAY = Duration.ofHours(25);

    public static SecretLifecyclePolicy of(VaultSettings settings) {
        return new SecretLifecyclePolicy(Duration.ofDays(settings.secretRetentionDays()), TOUCH_INTERVAL,
                DELETION_DELAY);
    }

    /** Whether a use now must be recorded (the recorded one is a whole touch interval old). */
    public boolean touchDue(Instant lastUsed, Instant now) {
        return !lastUsed.plus(touchInterval).isAfter(now);
    }

    /** Secrets whose recorded last use is before this instant are stale. */
    public Instant staleBefore(Instant now) {
        return now.minus(retention).minus(touchInterval);
    }

    /** Until when a secret last used at {@code lastUsed} is certainly not stale. */
    public Instant freshUntil(Instant lastUsed) {
        return lastUsed.plus(retention).plus(touchInterval);
    }

    public Instant timeOfDeletion(Instant now) {
        return now.plus(deletionDelay);
    }
}
