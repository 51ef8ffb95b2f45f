package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.model.Range;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.model.RenameObjectDetails;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.requests.RenameObjectRequest;
import com.oracle.bmc.objectstorage.responses.HeadObjectResponse;
import com.oracle.bmc.objectstorage.responses.ListObjectsResponse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The bulk-ingest bucket ({@code ingest_bucket}) through the Object Storage client: what an uploaded file is (its
 * version), its bytes from a given offset (so an invocation resumes mid-file without reading what is done again),
 * the objects the ingest writes, and the move of a finished file. Every read of a file names its version (ETag,
 * {@code If-Match}), so a file replaced meanwhile is never read as a mix of two versions. A 404 is an absent object;
 * anything else the service or the network answers is a {@link BucketUnavailableException}. Thread-safe.
 */
public final class IngestBucket {

    /** One version of an object. */
    public record Version(String name, String etag, long size) {
    }

    private final Supplier<ObjectStorage> client;
    private final Supplier<String> namespace;
    private final String bucket;

    /** @param namespace the bucket's namespace (the functions' buckets share one: {@link StateBucket#namespace}) */
    public IngestBucket(Supplier<ObjectStorage> client, Supplier<String> namespace, String bucket) {
        this.client = client;
        this.namespace = namespace;
        this.bucket = bucket;
    }

    public String name() {
        return bucket;
    }

    /** The current version of {@code name}, or empty when there is none. */
    public Optional<Version> head(String name) {
        try {
            HeadObjectResponse r = client.get().headObject(HeadObjectRequest.builder().namespaceName(namespace())
                    .bucketName(bucket).objectName(name).build());
            return Optional.of(new Version(name, r.getETag(), r.getContentLength() == null ? 0 : r.getContentLength()));
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable("HeadObject", name, e);
        } catch (RuntimeException e) {
            throw unavailable("HeadObject", name, e);
        }
    }

    /**
     * The bytes of version {@code etag} of {@code name} from byte {@code from} on (the caller closes the stream), or
     * empty when that version is gone (deleted, moved or replaced).
     */
    public Optional<InputStream> open(String name, String etag, long from) {
        try {
            return Optional.of(client.get().getObject(GetObjectRequest.builder().namespaceName(namespace())
                    .bucketName(bucket).objectName(name).ifMatch(etag)
                    .range(from > 0 ? new Range(from, null) : null).build()).getInputStream());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404 || e.getStatusCode() == 412) {
                return Optional.empty();
            }
            throw unavailable("GetObject", name, e);
        } catch (RuntimeException e) {
            throw unavailable("GetObject", name, e);
        }
    }

    /** Writes {@code name} (replacing any object of that name); @return its ETag */
    public String put(String name, byte[] body, String contentType) {
        try {
            return client.get().putObject(PutObjectRequest.builder().namespaceName(namespace()).bucketName(bucket)
                    .objectName(name).contentType(contentType).contentLength((long) body.length)
                    .putObjectBody(new ByteArrayInputStream(body)).build()).getETag();
        } catch (RuntimeException e) {
            throw unavailable("PutObject", name, e);
        }
    }

    /** Renames version {@code etag} of {@code from} to {@code to}; false when that version is no longer there. */
    public boolean rename(String from, String etag, String to) {
        try {
            client.get().renameObject(RenameObjectRequest.builder().namespaceName(namespace()).bucketName(bucket)
                    .renameObjectDetails(RenameObjectDetails.builder().sourceName(from).newName(to)
                            .srcObjIfMatchETag(etag).build()).build());
            return true;
        } catch (BmcException e) {
            if (e.getStatusCode() == 404 || e.getStatusCode() == 412) {
                return false;
            }
            throw unavailable("RenameObject", from, e);
        } catch (RuntimeException e) {
            throw unavailable("RenameObject", from, e);
        }
    }

    /** Deletes {@code name} if it exists. */
    public void delete(String name) {
        try {
            client.get().deleteObject(DeleteObjectRequest.builder().namespaceName(namespace()).bucketName(bucket)
                    .objectName(name).build());
        } catch (BmcException e) {
            if (e.getStatusCode() != 404) {
                throw unavailable("DeleteObject", name, e);
            }
        } catch (RuntimeException e) {
            throw unavailable("DeleteObject", name, e);
        }
    }

    /** The objects under {@code prefix}, in name order, at most {@code limit}. */
    public List<Version> list(String prefix, int limit) {
        List<Version> found = new ArrayList<>();
        String start = null;
        try {
            do {
                ListObjectsResponse r = client.get().listObjects(ListObjectsRequest.builder()
                        .namespaceName(namespace()).bucketName(bucket).prefix(prefix).start(start)
                        .fields("name,etag,size").limit(Math.min(1000, limit - found.size())).build());
                for (ObjectSummary o : r.getListObjects().getObjects()) {
                    found.add(new Version(o.getName(), o.getEtag(), o.getSize() == null ? 0 : o.getSize()));
                }
                start = r.getListObjects().getNextStartWith();
            } while (start != null && found.size() < limit);
        } catch (RuntimeException e) {
            throw unavailable("ListObjects", prefix, e);
        }
        return found;
    }

    private String namespace() {
        try {
            return namespace.get();
        } catch (RuntimeException e) {
            throw unavailable("GetNamespace", "", e);
        }
    }

    private BucketUnavailableException unavailable(String operation, String name, RuntimeException e) {
        String why = e instanceof BmcException b ? "HTTP " + b.getStatusCode() + " " + b.getServiceCode()
                : e.getClass().getSimpleName();
        return new BucketUnavailableException(operation + " " + bucket + "/" + name + " failed: " + why, e);
    }
}
