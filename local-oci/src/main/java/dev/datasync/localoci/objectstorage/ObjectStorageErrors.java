package dev.datasync.localoci.objectstorage;

import dev.datasync.localoci.http.OciException;

/** Object Storage's own error codes (it does not use NotAuthorizedOrNotFound for missing buckets/objects). */
final class ObjectStorageErrors {
    private ObjectStorageErrors() {}

    static OciException namespaceNotFound(String namespace) {
        return new OciException(404, "NamespaceNotFound",
                "You do not have authorization to perform this request, or the requested resource could not be found.");
    }

    static OciException bucketNotFound(String namespace, String bucket) {
        return new OciException(404, "BucketNotFound", "Either the bucket named '" + bucket
                + "' does not exist in the namespace '" + namespace + "' or you are not authorized to access it");
    }

    static OciException objectNotFound(String bucket, String name) {
        return new OciException(404, "ObjectNotFound",
                "The object '" + name + "' was not found in the bucket '" + bucket + "'");
    }

    static OciException ifMatchFailed(String etag) {
        return new OciException(412, "IfMatchFailed", "The If-Match header ('" + etag
                + "') does not match the object's current ETag");
    }

    static OciException ifNoneMatchFailed() {
        return new OciException(412, "IfNoneMatchFailed", "The If-None-Match header matches the object's current ETag");
    }
}
