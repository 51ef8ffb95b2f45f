package dev.datasync.shared.oci;

import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import dev.datasync.shared.oci.internal.SingleFlightCache;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Object Storage namespace of the functions' buckets: {@code object_storage_namespace} when configured (Terraform
 * writes it), else the caller's own, asked once per container (GetNamespace; the namespace never changes under a
 * running container, and concurrent first asks share one call). Thread-safe.
 */
public final class ObjectStorageNamespace {

    private final Supplier<ObjectStorage> client;
    private final Optional<String> configured;
    private final SingleFlightCache<String, String> asked;

    public ObjectStorageNamespace(Supplier<ObjectStorage> client, Optional<String> configured) {
        this.client = client;
        this.configured = configured;
        this.asked = new SingleFlightCache<>(Duration.ofDays(36_500), Clock.systemUTC());
    }

    /** @throws RuntimeException the SDK's failure of GetNamespace (callers translate it) */
    public String get() {
        return configured.orElseGet(() -> asked.get("", () ->
                client.get().getNamespace(GetNamespaceRequest.builder().build()).getValue()));
    }
}
