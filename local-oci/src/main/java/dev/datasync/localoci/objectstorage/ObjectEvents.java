package dev.datasync.localoci.objectstorage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.localoci.ServiceContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Object events of buckets with {@code objectEventsEnabled}, in the envelope of OCI's documented example (CloudEvents
 * 0.1: {@code eventType}, {@code eventID}, {@code eventTime}, {@code data.resourceName} = the object name,
 * {@code data.resourceId} = {@code /n/<ns>/b/<bucket>/o/<object>}, {@code data.additionalDetails} with {@code eTag},
 * {@code namespace}, {@code bucketName}, {@code bucketId}). A write to a new name is {@code createobject}, to an
 * existing name {@code updateobject} (OCI does not document which one an overwrite emits: rules should match both),
 * a delete {@code deleteobject}; a rename emits {@code deleteobject} for the old name and {@code createobject} (or
 * {@code updateobject}) for the new one — also this emulator's choice, OCI documents no rename event.
 */
final class ObjectEvents {

    static final String CREATE = "com.oraclecloud.objectstorage.createobject";
    static final String UPDATE = "com.oraclecloud.objectstorage.updateobject";
    static final String DELETE = "com.oraclecloud.objectstorage.deleteobject";

    private final ServiceContext ctx;

    ObjectEvents(ServiceContext ctx) {
        this.ctx = ctx;
    }

    /** After a write: {@code replaced} when the name held an object before. */
    void written(ObjectRepository.Bucket bucket, ObjectInfo object, boolean replaced) {
        emit(bucket, replaced ? UPDATE : CREATE, object.name(), object.etag());
    }

    void deleted(ObjectRepository.Bucket bucket, ObjectInfo object) {
        emit(bucket, DELETE, object.name(), object.etag());
    }

    private void emit(ObjectRepository.Bucket bucket, String eventType, String objectName, String etag) {
        if (bucket == null || !bucket.objectEventsEnabled()) {
            return;
        }
        String namespace = ctx.identity().namespace();
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode event = f.objectNode();
        event.put("cloudEventsVersion", "0.1");
        event.put("eventID", UUID.randomUUID().toString());
        event.put("eventType", eventType);
        event.put("source", "objectstorage");
        event.put("eventTypeVersion", "2.0");
        event.put("eventTime", Instant.ofEpochMilli(ctx.clock().millis()).truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("contentType", "application/json");
        event.putObject("extensions").put("compartmentId", bucket.compartmentId());
        ObjectNode data = event.putObject("data");
        data.put("compartmentId", bucket.compartmentId());
        data.put("compartmentName", ctx.compartments().nameOf(bucket.compartmentId()));
        data.put("resourceName", objectName);
        data.put("resourceId", "/n/" + namespace + "/b/" + bucket.name() + "/o/" + objectName);
        data.put("availabilityDomain", "all");
        ObjectNode details = data.putObject("additionalDetails");
        details.put("eTag", etag);
        details.put("namespace", namespace);
        details.put("bucketName", bucket.name());
        details.put("bucketId", bucket.id());
        details.put("archivalState", "Available");
        ctx.events().publish(event);
    }
}
