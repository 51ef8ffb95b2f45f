package dev.datasync.shared.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What one source application may do, as kept in the state bucket under {@code sources/<id>.json}:
 * {@code {"id", "allowlist", "ratePerSecond", "maxSecrets", "signing"}}. Terraform writes it on OCI ({@code var.sources}),
 * {@code ./datasync sources add} locally; the functions read it (cached per container).
 *
 * @param id            the source id, {@link #ID_PATTERN}
 * @param allowlist     target allow-list entries of this source, always inside the global {@code target_allowlist};
 *                      empty = the global list alone
 * @param ratePerSecond requests per second the gateway admits for this source
 * @param maxSecrets    live token secrets this source may own in Vault
 * @param signing       whether every delivery of this source is signed (Standard Webhooks, its secret in Vault under
 *                      {@code sign.<id>}); null or false: not signed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourcePolicy(String id, List<String> allowlist, Integer ratePerSecond, Integer maxSecrets,
                           Boolean signing) {

    public static final Pattern ID_PATTERN = Pattern.compile("^[a-z0-9][a-z0-9-]{0,31}$");

    public SourcePolicy {
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
    }

    /** A policy without signing. */
    public SourcePolicy(String id, List<String> allowlist, Integer ratePerSecond, Integer maxSecrets) {
        this(id, allowlist, ratePerSecond, maxSecrets, null);
    }

    /** Whether the source's deliveries are signed. */
    public boolean signs() {
        return Boolean.TRUE.equals(signing);
    }

    /** The object name of a source's policy in the state bucket. */
    public static String objectName(String sourceId) {
        return "sources/" + sourceId + ".json";
    }

    public static boolean isValidId(String id) {
        return id != null && ID_PATTERN.matcher(id).matches();
    }
}
