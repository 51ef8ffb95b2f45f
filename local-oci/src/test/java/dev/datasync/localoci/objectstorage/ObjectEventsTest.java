package dev.datasync.localoci.objectstorage;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.model.RenameObjectDetails;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetBucketRequest;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.requests.RenameObjectRequest;
import dev.datasync.localoci.LocalOciTestBase;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.datasync.localoci.EmulatorRule.noRetries;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * Object events (OCI's CloudEvents envelope) for a bucket with objectEventsEnabled, none for one without; GetBucket
 * tells which; RenameObject and its conditions. Through the real ObjectStorageClient.
 */
public class ObjectEventsTest extends LocalOciTestBase {

    /** The project declaration's bucket with object events on, and one without. */
    private static final String EVENTS = "datasync-ingest";
    private static final String QUIET = "datasync-error-archive";

    private static ObjectStorageClient os;
    private static String namespace;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private AutoCloseable subscription;

    @BeforeClass
    public static void client() {
        os = ObjectStorageClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        namespace = os.getNamespace(GetNamespaceRequest.builder().build()).getValue();
    }

    @AfterClass
    public static void closeClient() {
        os.close();
    }

    @Before
    public void subscribe() {
        subscription = oci.events().subscribe(received::add);
    }

    @After
    public void unsubscribe() throws Exception {
        subscription.close();
    }

    private static String put(String bucket, String name, String body) {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        return os.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(bucket).objectName(name)
                .contentLength((long) data.length).putObjectBody(new ByteArrayInputStream(data)).build()).getETag();
    }

    private JsonNode next() throws InterruptedException {
        JsonNode e = received.poll(5, TimeUnit.SECONDS);
        assertNotNull("no event arrived", e);
        return e;
    }

    @Test
    public void getBucketTellsWhetherObjectEventsAreEnabled() {
        assertEquals(Boolean.TRUE, os.getBucket(GetBucketRequest.builder().namespaceName(namespace)
                .bucketName(EVENTS).build()).getBucket().getObjectEventsEnabled());
        assertEquals(Boolean.FALSE, os.getBucket(GetBucketRequest.builder().namespaceName(namespace)
                .bucketName(QUIET).build()).getBucket().getObjectEventsEnabled());
    }

    @Test
    public void aNewObjectIsACreateEventInOcisEnvelope() throws Exception {
        String name = "incoming/orders-app/" + UUID.randomUUID() + ".jsonl";
        String etag = put(EVENTS, name, "{}\n");
        JsonNode e = next();
        assertEquals("0.1", e.path("cloudEventsVersion").asText());
        assertEquals("com.oraclecloud.objectstorage.createobject", e.path("eventType").asText());
        assertEquals("objectstorage", e.path("source").asText());
        assertEquals("2.0", e.path("eventTypeVersion").asText());
        assertEquals("application/json", e.path("contentType").asText());
        assertFalse(e.path("eventID").asText().isEmpty());
        assertTrue(e.path("eventTime").asText().endsWith("Z"));
        JsonNode data = e.path("data");
        assertEquals(name, data.path("resourceName").asText());
        assertEquals("/n/" + namespace + "/b/" + EVENTS + "/o/" + name, data.path("resourceId").asText());
        assertEquals(oci.resources().compartments().get("DataSyncCompartment"), data.path("compartmentId").asText());
        assertEquals("DataSyncCompartment", data.path("compartmentName").asText());
        assertEquals(data.path("compartmentId"), e.path("extensions").path("compartmentId"));
        JsonNode details = data.path("additionalDetails");
        assertEquals(etag, details.path("eTag").asText());
        assertEquals(namespace, details.path("namespace").asText());
        assertEquals(EVENTS, details.path("bucketName").asText());
        assertEquals(oci.resources().buckets().get(EVENTS), details.path("bucketId").asText());
    }

    @Test
    public void anOverwriteIsAnUpdateAndADeleteADeleteEvent() throws Exception {
        String name = "events/" + UUID.randomUUID();
        put(EVENTS, name, "a");
        assertEquals("com.oraclecloud.objectstorage.createobject", next().path("eventType").asText());
        String second = put(EVENTS, name, "b");
        JsonNode update = next();
        assertEquals("com.oraclecloud.objectstorage.updateobject", update.path("eventType").asText());
        assertEquals(second, update.path("data").path("additionalDetails").path("eTag").asText());
        os.deleteObject(DeleteObjectRequest.builder().namespaceName(namespace).bucketName(EVENTS).objectName(name)
                .build());
        JsonNode delete = next();
        assertEquals("com.oraclecloud.objectstorage.deleteobject", delete.path("eventType").asText());
        assertEquals(name, delete.path("data").path("resourceName").asText());
    }

    @Test
    public void aBucketWithoutObjectEventsEmitsNone() throws Exception {
        put(QUIET, "quiet/" + UUID.randomUUID(), "x");
        put(EVENTS, "loud/" + UUID.randomUUID(), "x");
        // events arrive in order: the first one is the second write's
        assertTrue(next().path("data").path("resourceName").asText().startsWith("loud/"));
        assertNull(received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    public void renameMovesTheObjectUnderItsConditions() throws Exception {
        String from = "incoming/orders-app/" + UUID.randomUUID();
        String to = "processed/" + from.substring("incoming/".length());
        String etag = put(EVENTS, from, "lines");
        next();

        expectPreconditionFailed("IfMatchFailed", () -> rename(from, to, "not-the-etag", null));
        rename(from, to, etag, "*");
        try (InputStream in = os.getObject(GetObjectRequest.builder().namespaceName(namespace).bucketName(EVENTS)
                .objectName(to).build()).getInputStream()) {
            assertEquals("lines", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try {
            os.headObject(HeadObjectRequest.builder().namespaceName(namespace).bucketName(EVENTS).objectName(from)
                    .build());
            fail("the old name is gone");
        } catch (BmcException e) {
            assertEquals(404, e.getStatusCode());
        }
        List<String> types = new ArrayList<>();
        types.add(next().path("eventType").asText() + " " + "old");
        types.add(next().path("eventType").asText() + " " + "new");
        assertEquals(List.of("com.oraclecloud.objectstorage.deleteobject old",
                "com.oraclecloud.objectstorage.createobject new"), types);

        String other = put(EVENTS, from, "again");
        next();
        expectPreconditionFailed("IfNoneMatchFailed", () -> rename(from, to, other, "*"));
        try {
            rename("incoming/none/" + UUID.randomUUID(), to, null, null);
            fail("renaming a missing object");
        } catch (BmcException e) {
            assertEquals(404, e.getStatusCode());
            assertEquals("ObjectNotFound", e.getServiceCode());
        }
    }

    private static void rename(String from, String to, String srcEtag, String newIfNoneMatch) {
        os.renameObject(RenameObjectRequest.builder().namespaceName(namespace).bucketName(EVENTS)
                .renameObjectDetails(RenameObjectDetails.builder().sourceName(from).newName(to)
                        .srcObjIfMatchETag(srcEtag).newObjIfNoneMatchETag(newIfNoneMatch).build()).build());
    }

    private static void expectPreconditionFailed(String code, Runnable call) {
        try {
            call.run();
            fail("expected 412 " + code);
        } catch (BmcException e) {
            assertEquals(412, e.getStatusCode());
            assertEquals(code, e.getServiceCode());
        }
    }
}
