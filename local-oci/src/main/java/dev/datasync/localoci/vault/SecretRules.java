package dev.datasync.localoci.vault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.oracle.bmc.vault.model.SecretExpiryRule;
import com.oracle.bmc.vault.model.SecretReuseRule;
import com.oracle.bmc.vault.model.SecretRule;
import dev.datasync.localoci.http.Json;
import dev.datasync.localoci.http.OciException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret's rules, validated as OCI documents them (SDK javadoc of {@link SecretExpiryRule}): the version expiry
 * interval is ISO-8601 days only, {@code P1D}..{@code P90D}; an absolute expiry lies 1 to 365 days ahead; at most
 * one rule of each type. Expiry is computed when asked rather than stored, so editing the rules (e.g. turning
 * off {@code isSecretContentRetrievalBlockedOnExpiry}) takes effect at once, as OCI describes.
 */
public record SecretRules(List<SecretRule> rules, Duration versionExpiryInterval, Long absoluteExpiryMillis,
                          boolean retrievalBlockedOnExpiry, boolean reuseRuleEnforced,
                          boolean reuseEnforcedOnDeletedVersions) {

    private static final TypeReference<List<SecretRule>> RULE_LIST = new TypeReference<>() { };
    private static final Pattern DAYS = Pattern.compile("P(\\d{1,3})D");
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    public SecretRules {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public static SecretRules none() {
        return new SecretRules(List.of(), null, null, false, false, false);
    }

    /** Validates rules sent by a caller at {@code nowMillis}; 400 InvalidParameter on anything OCI refuses. */
    public static SecretRules validate(List<SecretRule> rules, long nowMillis) {
        if (rules == null || rules.isEmpty()) {
            return none();
        }
        Duration interval = null;
        Long absolute = null;
        boolean blocked = false;
        boolean reuse = false;
        boolean reuseDeleted = false;
        boolean sawExpiry = false;
        for (SecretRule rule : rules) {
            if (rule instanceof SecretExpiryRule expiry) {
                if (sawExpiry) {
                    throw OciException.invalidParameter("secretRules may contain only one SECRET_EXPIRY_RULE");
                }
                sawExpiry = true;
                interval = parseInterval(expiry.getSecretVersionExpiryInterval());
                if (expiry.getTimeOfAbsoluteExpiry() != null) {
                    absolute = expiry.getTimeOfAbsoluteExpiry().getTime();
                    if (absolute < nowMillis + DAY_MILLIS || absolute > nowMillis + 365 * DAY_MILLIS) {
                        throw OciException.invalidParameter(
                                "timeOfAbsoluteExpiry must be between 1 and 365 days from now");
                    }
                }
                blocked = Boolean.TRUE.equals(expiry.getIsSecretContentRetrievalBlockedOnExpiry());
            } else if (rule instanceof SecretReuseRule reuseRule) {
                if (reuse) {
                    throw OciException.invalidParameter("secretRules may contain only one SECRET_REUSE_RULE");
                }
                reuse = true;
                reuseDeleted = Boolean.TRUE.equals(reuseRule.getIsEnforcedOnDeletedSecretVersions());
            } else {
                throw OciException.invalidParameter("Unsupported secret rule type");
            }
        }
        return new SecretRules(rules, interval, absolute, blocked, reuse, reuseDeleted);
    }

    static Duration parseInterval(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = DAYS.matcher(value);
        if (!m.matches()) {
            throw OciException.invalidParameter(
                    "secretVersionExpiryInterval must be an ISO-8601 interval in days, P1D to P90D");
        }
        int days = Integer.parseInt(m.group(1));
        if (days < 1 || days > 90) {
            throw OciException.invalidParameter("secretVersionExpiryInterval must be between P1D and P90D");
        }
        return Duration.ofDays(days);
    }

    /** When a version created at {@code versionCreatedMillis} expires, or null if it never does. */
    public Long expiryOf(long versionCreatedMillis) {
        Long byInterval = versionExpiryInterval == null ? null
                : versionCreatedMillis + versionExpiryInterval.toMillis();
        if (byInterval == null) {
            return absoluteExpiryMillis;
        }
        return absoluteExpiryMillis == null ? byInterval : Math.min(byInterval, absoluteExpiryMillis);
    }

    public String toJson() {
        try {
            // typed writer: a raw List would drop the "ruleType" discriminator
            return Json.mapper().writerFor(RULE_LIST).writeValueAsString(rules);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize secret rules", e);
        }
    }

    /** Re-reads stored rules (already validated when they were accepted). */
    public static SecretRules fromJson(String json) {
        if (json == null || json.isEmpty()) {
            return none();
        }
        try {
            List<SecretRule> rules = Json.mapper().readValue(json, RULE_LIST);
            Duration interval = null;
            Long absolute = null;
            boolean blocked = false;
            boolean reuse = false;
            boolean reuseDeleted = false;
            for (SecretRule rule : rules) {
                if (rule instanceof SecretExpiryRule expiry) {
                    interval = parseInterval(expiry.getSecretVersionExpiryInterval());
                    absolute = expiry.getTimeOfAbsoluteExpiry() == null ? null : expiry.getTimeOfAbsoluteExpiry().getTime();
                    blocked = Boolean.TRUE.equals(expiry.getIsSecretContentRetrievalBlockedOnExpiry());
                } else if (rule instanceof SecretReuseRule reuseRule) {
                    reuse = true;
                    reuseDeleted = Boolean.TRUE.equals(reuseRule.getIsEnforcedOnDeletedSecretVersions());
                }
            }
            return new SecretRules(rules, interval, absolute, blocked, reuse, reuseDeleted);
        } catch (IOException e) {
            throw new IllegalStateException("stored secret rules are unreadable", e);
        }
    }
}
