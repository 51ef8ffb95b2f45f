package dev.datasync.shared.oci;

import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import dev.datasync.shared.config.StateStore;
import dev.datasync.shared.oci.internal.SingleFlightCache;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The state bucket ({@code state_bucket}) of one container: the Object Storage client, the bucket name and the
 * namespace, which is {@code object_storage_namespace} or else the caller's own, asked once per container
 * (GetNamespace) and shared by everything that reads the bucket: the source registry and the state objects.
 * Thread-safe; build one per container.
 */
public final class StateBucket {

    private final Supplier<ObjectStorage> client;
    private final StateStore store;
    // the namespace never changes under a running container
    private final SingleFlightCache<String, String> namespace =
            new SingleFlightCache<>(Duration.ofDays(36_500), Clock.systemUTC());

    public StateBucket(Supplier<ObjectStorage> client, StateStore store) {
        this.client = client;
        this.store = store;
    }

    public ObjectStorage client() {
        return client.get();
    }

    public String bucket() {
        return store.bucket();
    }

    /**
     * The namespace; concurrent first callers share one GetNamespace.
     * @throws RuntimeException the SDK's failure of GetNamespace, for the caller to name in its own terms
     */
    public String namespace() {
        if (store.namespace().isPresent()) {
            return store.namespace().get();
        }
        return namespace.get("", () -> client.get().getNamespace(GetNamespaceRequest.builder().build()).getValue());
    }
}
