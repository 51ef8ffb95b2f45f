package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.objectstorage.responses.ListObjectsResponse;
import dev.datasync.shared.config.StateStore;
import dev.datasync.shared.state.StateConflictException;
import dev.datasync.shared.state.StateObject;
import dev.datasync.shared.state.StateObjects;
import dev.datasync.shared.state.StateUnavailableException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link StateObjects} in the state bucket ({@code state_bucket}, namespace {@code object_storage_namespace}) through
 * the Object Storage client: create is PutObject with {@code If-None-Match: *}, replace PutObject with
 * {@code If-Match}, delete DeleteObject with {@code If-Match}; a 412 is a {@link StateConflictException}, a 404 an
 * absent object, anything else a {@link StateUnavailableException} (never a guess). Thread-safe.
 */
public final class ObjectStorageStateObjects implements StateObjects {

    private final Supplier<ObjectStorage> client;
    private final ObjectStorageNamespace namespace;
    private final String bucket;

    public ObjectStorageStateObjects(Supplier<ObjectStorage> client, StateStore state) {
        this.client = client;
        this.namespace = new ObjectStorageNamespace(client, state.namespace());
        this.bucket = state.bucket();
    }

    @Override
    public Optional<StateObject> read(String name) {
        return get(name, null);
    }

    @Override
    public Optional<StateObject> readIfChanged(String name, StateObject same) {
        return get(name, same);
    }

    private Optional<StateObject> get(String name, StateObject same) {
        GetObjectResponse r;
        try {
            r = client.get().getObject(GetObjectRequest.builder().namespaceName(namespace()).bucketName(bucket)
                    .objectName(name).ifNoneMatch(same == null ? null : same.etag()).build());
        } catch (BmcException e) {
            if (isAbsent(e)) {
                return Optional.empty();
            }
            throw unavailable("GetObject", name, e);
        } catch (RuntimeException e) {
            throw unavailable("GetObject", name, e);
        }
        if (r.isNotModified()) {
            return Optional.of(same);
        }
        try (InputStream in = r.getInputStream()) {
            return Optional.of(new StateObject(in.readAllBytes(), r.getETag()));
        } catch (IOException e) {
            throw new StateUnavailableException("state object " + name + " could not be read: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String create(String name, byte[] body) {
        return put(name, body, null, "*");
    }

    @Override
    public String replace(String name, byte[] body, String etag) {
        return put(name, body, etag, null);
    }

    private String put(String name, byte[] body, String ifMatch, String ifNoneMatch) {
        try {
            return client.get().putObject(PutObjectRequest.builder().namespaceName(namespace()).bucketName(bucket)
                    .objectName(name).ifMatch(ifMatch).ifNoneMatch(ifNoneMatch).contentType("application/json")
                    .contentLength((long) body.length).putObjectBody(new ByteArrayInputStream(body)).build())
                    .getETag();
        } catch (BmcException e) {
            if (e.getStatusCode() == 412) {
                throw new StateConflictException(name);
            }
            throw unavailable("PutObject", name, e);
        } catch (RuntimeException e) {
            throw unavailable("PutObject", name, e);
        }
    }

    @Override
    public void delete(String name, String etag) {
        try {
            client.get().deleteObject(DeleteObjectRequest.builder().namespaceName(namespace()).bucketName(bucket)
                    .objectName(name).ifMatch(etag).build());
        } catch (BmcException e) {
            if (e.getStatusCode() == 412) {
                throw new StateConflictException(name);
            }
            if (!isAbsent(e)) {
                throw unavailable("DeleteObject", name, e);
            }
        } catch (RuntimeException e) {
            throw unavailable("DeleteObject", name, e);
        }
    }

    @Override
    public List<String> list(String prefix, int limit) {
        List<String> names = new ArrayList<>();
        String start = null;
        try {
            do {
                ListObjectsResponse r = client.get().listObjects(ListObjectsRequest.builder()
                        .namespaceName(namespace()).bucketName(bucket).prefix(prefix).start(start)
                        .limit(Math.min(1000, limit - names.size())).build());
                for (ObjectSummary o : r.getListObjects().getObjects()) {
                    names.add(o.getName());
                }
                start = r.getListObjects().getNextStartWith();
            } while (start != null && names.size() < limit);
        } catch (RuntimeException e) {
            throw unavailable("ListObjects", prefix, e);
        }
        return names;
    }

    private String namespace() {
        try {
            return namespace.get();
        } catch (RuntimeException e) {
            throw unavailable("GetNamespace", "", e);
        }
    }

    private static boolean isAbsent(BmcException e) {
        return e.getStatusCode() == 404 && "ObjectNotFound".equals(e.getServiceCode());
    }

    private static StateUnavailableException unavailable(String operation, String name, RuntimeException e) {
        String why = e instanceof BmcException b ? "HTTP " + b.getStatusCode() + " " + b.getServiceCode()
                : e.getClass().getSimpleName();
        return new StateUnavailableException(operation + " " + name + " failed: " + why, e);
    }
}
