package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;
import java.util.Set;

/**
 * An Object Storage event as OCI Events delivers it to a function (CloudEvents 0.1, OCI's documented envelope): its
 * type, and from {@code data} the object name ({@code resourceName}) and from {@code data.additionalDetails} the
 * bucket, namespace and the object version ({@code eTag}). Read leniently, as OCI's own samples vary ({@code source}
 * capitalised or not, {@code eventTime} with or without milliseconds): only these fields are looked at.
 */
record ObjectEvent(String eventType, String bucket, String namespace, String objectName, String etag) {

    static final String CREATE = "com.oraclecloud.objectstorage.createobject";
    static final String UPDATE = "com.oraclecloud.objectstorage.updateobject";
    /** The types of the Events rule: whether OCI emits create or update for an overwrite is not documented. */
    static final Set<String> WRITES = Set.of(CREATE, UPDATE);

    /** The event, or empty when the JSON is not an object event of a write with a bucket and an object name. */
    static Optional<ObjectEvent> of(JsonNode event) {
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        String type = event.path("eventType").asText("");
        JsonNode data = event.path("data");
        JsonNode details = data.path("additionalDetails");
        String name = data.path("resourceName").asText("");
        String bucket = details.path("bucketName").asText("");
        if (!WRITES.contains(type) || name.isEmpty() || bucket.isEmpty()) {
            return Optional.empty();
        }
        String etag = details.path("eTag").asText("");
        return Optional.of(new ObjectEvent(type, bucket, details.path("namespace").asText(""), name,
                etag.isEmpty() ? null : etag));
    }
}
