package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.model.ListObjects;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.retrier.RetryConfiguration;
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
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link StateObjects} in Object Storage: the objects of the container's {@link StateBucket}, written with
 * Object Storage's conditional headers ({@code If-None-Match: *} to create, {@code If-Match: <etag>} to replace or
 * delete, {@code If-None-Match: <etag>} to read only a changed object, answered 304). A 412 is a
 * {@link StateConflictException}; any other failure (a 5xx, throttling, a refused credential, a missing bucket, the
 * network) a {@link StateUnavailableException} that names the operation, the object and the HTTP status, never a
 * request's content. Thread-safe; build one per container.
 * <p>
 * The SDK never retries a conditional write: after an answer lost on the way back, a retried create or replace would
 * meet its own write and report a conflict. The failure reaches the caller as unavailable instead, and the caller,
 * which knows what it wrote, reads the object again.
 */
public final class ObjectStorageStateObjects implements StateObjects {

    /** ListObjects answers at most this many names per page. */
    static final int LIST_PAGE = 1000;
    /** The largest state object read: they are small records, this bounds a container's memory on a corrupt one. */
    static final int MAX_OBJECT_BYTES = 8 * 1024 * 1024;
    private static final String JSON = "application/json";

    private final StateBucket bucket;
    private final int pageSize;

    public ObjectStorageStateObjects(StateBucket bucket) {
        this(bucket, LIST_PAGE);
    }

    /** @param pageSize names asked for per ListObjects page (a test lists over several pages with a few objects) */
    ObjectStorageStateObjects(StateBucket bucket, int pageSize) {
        this.bucket = bucket;
        this.pageSize = pageSize;
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
        GetObjectRequest.Builder request = GetObjectRequest.builder()
                .namespaceName(namespace("GetObject", name)).bucketName(bucket.bucket()).objectName(name);
        if (same != null) {
            request.ifNoneMatch(same.etag());
        }
        GetObjectResponse response = call("GetObject", name, () -> {
            try {
                return bucket.client().getObject(request.build());
            } catch (BmcException e) {
                if (objectNotFound(e)) {
                    return null;
                }
                throw e;
            }
        });
        if (response == null) {
            return Optional.empty();
        }
        if (response.isNotModified()) {
            return Optional.of(same);
        }
        try (InputStream in = response.getInputStream()) {
            byte[] body = in.readNBytes(MAX_OBJECT_BYTES + 1);
            if (body.length > MAX_OBJECT_BYTES) {
                throw new StateUnavailableException("state object '" + name + "' is larger than " + MAX_OBJECT_BYTES
                        + " bytes: not a state object", null);
            }
            return Optional.of(new StateObject(body, response.getETag()));
        } catch (IOException e) {
            throw new StateUnavailableException("state object '" + name + "' could not be read (GetObject: "
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    @Override
    public String create(String name, byte[] body) {
        return put(name, body, put -> put.ifNoneMatch("*"));
    }

    @Override
    public String replace(String name, byte[] body, String etag) {
        return put(name, body, put -> put.ifMatch(etag));
    }

    private String put(String name, byte[] body, Consumer<PutObjectRequest.Builder> condition) {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .namespaceName(namespace("PutObject", name)).bucketName(bucket.bucket()).objectName(name)
                .contentType(JSON).contentLength((long) body.length)
                .putObjectBody(new ByteArrayInputStream(body))
                .retryConfiguration(RetryConfiguration.NO_RETRY_CONFIGURATION);
        condition.accept(request);
        return call("PutObject", name, () -> {
            try {
                return bucket.client().putObject(request.build()).getETag();
            } catch (BmcException e) {
                // If-Match on a missing object: the object is not at the version named
                if (objectNotFound(e)) {
                    throw new StateConflictException(name);
                }
                throw e;
            }
        });
    }

    @Override
    public void delete(String name, String etag) {
        DeleteObjectRequest request = DeleteObjectRequest.builder()
                .namespaceName(namespace("DeleteObject", name)).bucketName(bucket.bucket()).objectName(name)
                .ifMatch(etag).build();
        call("DeleteObject", name, () -> {
            try {
                bucket.client().deleteObject(request);
            } catch (BmcException e) {
                if (!objectNotFound(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public List<String> list(String prefix, int limit) {
        String namespace = namespace("ListObjects", prefix);
        List<String> names = new ArrayList<>();
        String start = null;
        while (names.size() < limit) {
            ListObjectsRequest request = ListObjectsRequest.builder().namespaceName(namespace)
                    .bucketName(bucket.bucket()).prefix(prefix).start(start).fields("name")
                    .limit(Math.min(pageSize, limit - names.size())).build();
            ListObjects page = call("ListObjects", prefix, () -> bucket.client().listObjects(request).getListObjects());
            for (ObjectSummary o : page.getObjects()) {
                names.add(o.getName());
            }
            start = page.getNextStartWith();
            if (start == null) {
                break;
            }
        }
        return names;
    }

    private String namespace(String operation, String name) {
        return call(operation, name, bucket::namespace);
    }

    private static boolean objectNotFound(BmcException e) {
        return e.getStatusCode() == 404 && "ObjectNotFound".equals(e.getServiceCode());
    }

    /** One SDK call: 412 → conflict; any other failure → unavailable, named by status and service code only. */
    private static <T> T call(String operation, String name, Supplier<T> sdkCall) {
        try {
            return sdkCall.get();
        } catch (StateConflictException | StateUnavailableException e) {
            throw e;
        } catch (BmcException e) {
            if (e.getStatusCode() == 412) {
                throw new StateConflictException(name);
            }
            throw new StateUnavailableException("state object '" + name + "': " + operation + " failed (HTTP "
                    + e.getStatusCode() + " " + e.getServiceCode() + ")", e);
        } catch (RuntimeException e) {
            throw new StateUnavailableException("state object '" + name + "': " + operation + " failed ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
