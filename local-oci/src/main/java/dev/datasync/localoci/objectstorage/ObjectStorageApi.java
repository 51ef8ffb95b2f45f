package dev.datasync.localoci.objectstorage;

import com.oracle.bmc.objectstorage.model.Bucket;
import com.oracle.bmc.objectstorage.model.RenameObjectDetails;
import dev.datasync.localoci.ServiceContext;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.Request;
import dev.datasync.localoci.http.Response;
import dev.datasync.localoci.http.Router;
import dev.datasync.localoci.http.SigningStrategy;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Object Storage (no API version prefix): GetNamespace, GetBucket, PutObject, GetObject (with Range), HeadObject,
 * ListObjects (the listing itself is {@link ObjectListing}), DeleteObject, RenameObject. Object names arrive
 * percent-encoded as one path segment ({@code %2F} for '/'); the router decodes them after matching on the raw path.
 * Changes to objects of a bucket with object events enabled are announced through {@link ObjectEvents}.
 */
final class ObjectStorageApi {
    static final int MAX_OBJECT_NAME = 1024;
    private static final String OBJECT = "/n/{namespaceName}/b/{bucketName}/o/{objectName}";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final ServiceContext ctx;
    private final ObjectRepository objects;
    private final ObjectListing listing;
    private final ObjectEvents events;

    ObjectStorageApi(ServiceContext ctx, ObjectRepository objects) {
        this.ctx = ctx;
        this.objects = objects;
        this.listing = new ObjectListing(objects);
        this.events = new ObjectEvents(ctx);
    }

    void register(Router router) {
        router.get("/n", "GetNamespace", r -> Response.json(ctx.identity().namespace()))
                // the SDK signs PutObject without the body (it may be a stream of unknown length)
                .add("PUT", OBJECT, "PutObject", SigningStrategy.EXCLUDE_BODY, this::putObject)
                .get(OBJECT, "GetObject", this::getObject)
                .head(OBJECT, "HeadObject", this::headObject)
                .delete(OBJECT, "DeleteObject", this::deleteObject)
                .get("/n/{namespaceName}/b/{bucketName}/o", "ListObjects", this::listObjects)
                .get("/n/{namespaceName}/b/{bucketName}", "GetBucket", this::getBucket)
                .post("/n/{namespaceName}/b/{bucketName}/actions/renameObject", "RenameObject", this::renameObject);
    }

    private String bucket(Request request) {
        String namespace = request.path("namespaceName");
        if (!ctx.identity().namespace().equals(namespace)) {
            throw ObjectStorageErrors.namespaceNotFound(namespace);
        }
        String bucket = request.path("bucketName");
        if (objects.findBucket(bucket) == null) {
            throw ObjectStorageErrors.bucketNotFound(namespace, bucket);
        }
        return bucket;
    }

    private static String objectName(Request request) {
        return checkedName(request.path("objectName"));
    }

    private static String checkedName(String name) {
        if (name.isEmpty() || name.length() > MAX_OBJECT_NAME) {
            throw OciException.invalidParameter("Object names must be 1 to " + MAX_OBJECT_NAME + " characters");
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw OciException.invalidParameter("Object names must not contain NUL, line feed or carriage return");
        }
        return name;
    }

    private Response putObject(Request request) {
        String bucket = bucket(request);
        String name = objectName(request);
        byte[] data = request.body();
        String md5 = Base64.getEncoder().encodeToString(digest("MD5", data));
        String expectedMd5 = request.header("Content-MD5");
        if (expectedMd5 != null && !expectedMd5.equals(md5)) {
            throw new OciException(400, "UnmatchedContentMD5", "The computed MD5 of the request body (" + md5
                    + ") does not match the Content-MD5 header (" + expectedMd5 + ")");
        }
        String tier = request.header("storage-tier");
        if (tier != null && !tier.equalsIgnoreCase("Standard")) {
            throw OciException.invalidParameter("local-oci stores every object in the Standard tier");
        }
        long now = ctx.clock().millis();
        String contentType = request.header("Content-Type");
        ObjectInfo info = new ObjectInfo(bucket, name, data.length, md5, UUID.randomUUID().toString(),
                contentType == null ? "application/octet-stream" : contentType, request.header("Content-Encoding"),
                request.header("Content-Language"), request.header("Content-Disposition"),
                request.header("Cache-Control"), userMetadata(request), now, now);
        String ifMatch = request.header("if-match");
        String ifNoneMatch = request.header("if-none-match");
        if (ifNoneMatch != null && !ifNoneMatch.equals("*")) {
            throw OciException.invalidParameter("PutObject accepts only 'If-None-Match: *'");
        }
        ObjectInfo[] rejected = new ObjectInfo[1];
        ObjectInfo stored = objects.put(info, data, existing -> {
            boolean ok = (ifMatch == null || (existing != null && ifMatch.equals(existing.etag())))
                    && (ifNoneMatch == null || existing == null);
            rejected[0] = existing;
            return ok;
        });
        if (stored == null) {
            throw ifMatch != null && (rejected[0] == null || !ifMatch.equals(rejected[0].etag()))
                    ? ObjectStorageErrors.ifMatchFailed(ifMatch) : ObjectStorageErrors.ifNoneMatchFailed();
        }
        events.written(objects.findBucket(bucket), stored, rejected[0] != null);
        return Response.empty(200)
                .header("ETag", stored.etag())
                .header("opc-content-md5", stored.md5())
                .header("last-modified", HTTP_DATE.format(Instant.ofEpochMilli(stored.timeModifiedMillis())));
    }

    private Response getObject(Request request) {
        String bucket = bucket(request);
        String name = objectName(request);
        ObjectRepository.StoredObject object = objects.read(bucket, name);
        if (object == null) {
            throw ObjectStorageErrors.objectNotFound(bucket, name);
        }
        ObjectInfo info = object.info();
        checkConditions(request, info);
        if (matchesNoneMatch(request, info)) {
            return withObjectHeaders(Response.empty(304), info);
        }
        String range = request.header("Range");
        if (range == null) {
            return withObjectHeaders(Response.bytes(200, info.contentType(), object.data()), info);
        }
        long[] span = ByteRange.parse(range, object.data().length);
        byte[] part = Arrays.copyOfRange(object.data(), (int) span[0], (int) span[1] + 1);
        return withObjectHeaders(Response.bytes(206, info.contentType(), part), info)
                .header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + object.data().length);
    }

    private Response headObject(Request request) {
        String bucket = bucket(request);
        String name = objectName(request);
        ObjectInfo info = objects.find(bucket, name);
        if (info == null) {
            throw ObjectStorageErrors.objectNotFound(bucket, name);
        }
        checkConditions(request, info);
        if (matchesNoneMatch(request, info)) {
            return withObjectHeaders(Response.empty(304), info);
        }
        // HEAD has no body: Content-Length is set explicitly (the JDK server keeps it for HEAD)
        return withObjectHeaders(Response.empty(200), info)
                .header("Content-Type", info.contentType())
                .header("Content-Length", Long.toString(info.size()));
    }

    private Response deleteObject(Request request) {
        String bucket = bucket(request);
        String name = objectName(request);
        String ifMatch = request.header("if-match");
        ObjectInfo[] gone = new ObjectInfo[1];
        boolean deleted = objects.delete(bucket, name, existing -> {
            gone[0] = existing;
            return ifMatch == null || ifMatch.equals(existing.etag());
        });
        if (!deleted) {
            throw ObjectStorageErrors.ifMatchFailed(ifMatch);
        }
        events.deleted(objects.findBucket(bucket), gone[0]);
        return Response.empty(204).header("last-modified", HTTP_DATE.format(Instant.ofEpochMilli(ctx.clock().millis())));
    }

    private Response getBucket(Request request) {
        String name = bucket(request);
        ObjectRepository.Bucket b = objects.findBucket(name);
        return Response.json(Bucket.builder()
                .namespace(ctx.identity().namespace())
                .name(b.name())
                .id(b.id())
                .compartmentId(b.compartmentId())
                .createdBy(ctx.identity().userId())
                .timeCreated(new java.util.Date(b.timeCreatedMillis()))
                .etag(b.id())
                .metadata(Map.of())
                .publicAccessType(Bucket.PublicAccessType.NoPublicAccess)
                .storageTier(Bucket.StorageTier.Standard)
                .versioning(Bucket.Versioning.Disabled)
                .objectEventsEnabled(b.objectEventsEnabled())
                .build());
    }

    /**
     * RenameObject: {@code sourceName} becomes {@code newName} in one step; {@code srcObjIfMatchETag},
     * {@code newObjIfMatchETag} and {@code newObjIfNoneMatchETag} ({@code *} only) guard it (412 when one fails).
     */
    private Response renameObject(Request request) {
        String bucket = bucket(request);
        RenameObjectDetails d = request.bodyAs(RenameObjectDetails.class);
        if (d.getSourceName() == null || d.getNewName() == null) {
            throw OciException.missingParameter("sourceName and newName are required");
        }
        String source = checkedName(d.getSourceName());
        String target = checkedName(d.getNewName());
        if (d.getNewObjIfNoneMatchETag() != null && !d.getNewObjIfNoneMatchETag().equals("*")) {
            throw OciException.invalidParameter("newObjIfNoneMatchETag accepts only '*'");
        }
        String[] failed = new String[1];
        ObjectRepository.Renamed renamed = objects.rename(bucket, source, target,
                existing -> {
                    boolean ok = d.getSrcObjIfMatchETag() == null || d.getSrcObjIfMatchETag().equals(existing.etag());
                    failed[0] = ok ? null : "source";
                    return ok;
                },
                present -> {
                    boolean ok = (d.getNewObjIfMatchETag() == null
                            || (present != null && d.getNewObjIfMatchETag().equals(present.etag())))
                            && (d.getNewObjIfNoneMatchETag() == null || present == null);
                    failed[0] = ok ? null : "target";
                    return ok;
                });
        if (renamed == null) {
            throw "source".equals(failed[0]) ? ObjectStorageErrors.ifMatchFailed(d.getSrcObjIfMatchETag())
                    : d.getNewObjIfMatchETag() != null ? ObjectStorageErrors.ifMatchFailed(d.getNewObjIfMatchETag())
                    : ObjectStorageErrors.ifNoneMatchFailed();
        }
        ObjectRepository.Bucket b = objects.findBucket(bucket);
        ObjectInfo moved = renamed.object();
        events.deleted(b, new ObjectInfo(bucket, source, moved.size(), moved.md5(), moved.etag(), moved.contentType(),
                moved.contentEncoding(), moved.contentLanguage(), moved.contentDisposition(), moved.cacheControl(),
                moved.metadata(), moved.timeCreatedMillis(), moved.timeModifiedMillis()));
        events.written(b, moved, renamed.replaced());
        return Response.empty(200).header("last-modified",
                HTTP_DATE.format(Instant.ofEpochMilli(moved.timeModifiedMillis())));
    }

    private Response listObjects(Request request) {
        return Response.json(listing.list(bucket(request), request));
    }

    private static void checkConditions(Request request, ObjectInfo info) {
        String ifMatch = request.header("if-match");
        if (ifMatch != null && !ifMatch.equals(info.etag())) {
            throw ObjectStorageErrors.ifMatchFailed(ifMatch);
        }
    }

    private static boolean matchesNoneMatch(Request request, ObjectInfo info) {
        String ifNoneMatch = request.header("if-none-match");
        return ifNoneMatch != null && (ifNoneMatch.equals("*") || ifNoneMatch.equals(info.etag()));
    }

    private static Response withObjectHeaders(Response response, ObjectInfo info) {
        response.header("ETag", info.etag())
                .header("Content-MD5", info.md5())
                .header("last-modified", HTTP_DATE.format(Instant.ofEpochMilli(info.timeModifiedMillis())))
                .header("storage-tier", "Standard")
                .header("accept-ranges", "bytes");
        optional(response, "Content-Encoding", info.contentEncoding());
        optional(response, "Content-Language", info.contentLanguage());
        optional(response, "Content-Disposition", info.contentDisposition());
        optional(response, "Cache-Control", info.cacheControl());
        for (Map.Entry<String, String> meta : info.metadata().entrySet()) {
            response.header("opc-meta-" + meta.getKey(), meta.getValue());
        }
        return response;
    }

    private static void optional(Response response, String name, String value) {
        if (value != null) {
            response.header(name, value);
        }
    }

    private static Map<String, String> userMetadata(Request request) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            String key = h.getKey().toLowerCase(Locale.ROOT);
            if (key.startsWith("opc-meta-") && !h.getValue().isEmpty()) {
                out.put(key.substring("opc-meta-".length()), h.getValue().get(0));
            }
        }
        return out;
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
