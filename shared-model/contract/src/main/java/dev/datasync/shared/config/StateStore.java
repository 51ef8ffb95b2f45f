package dev.datasync.shared.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the functions read their state objects, such as the source registry ({@code sources/<id>.json}): an Object
 * Storage bucket and its namespace. An empty {@code namespace} means the caller's own, which the Object Storage
 * client asks for (GetNamespace); Terraform writes it so that no function spends a call on it.
 */
public record StateStore(Optional<String> namespace, String bucket) {

    /** The bucket name shared by Terraform and the local stack (func-configs/README.md). */
    public static final String DEFAULT_BUCKET = "datasync-state";

    /** Object Storage namespaces: lower-case letters and digits. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]{1,64}");

    public StateStore {
        namespace.ifPresent(n -> {
            if (!NAMESPACE.matcher(n).matches()) {
                throw new ConfigException(ConfigKeys.OBJECT_STORAGE_NAMESPACE,
                        "'" + n + "' is not an Object Storage namespace (lower-case letters and digits)");
            }
        });
        ConfigValues.checkBucket(ConfigKeys.STATE_BUCKET, bucket);
    }
}
