package dev.datasync.localoci.objectstorage;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.model.Range;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.model.ListObjects;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetNamespaceRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import com.oracle.bmc.objectstorage.responses.HeadObjectResponse;
import com.oracle.bmc.objectstorage.responses.PutObjectResponse;
import dev.datasync.localoci.LocalOciTestBase;
import dev.datasync.localoci.RawSignedRequests;
import dev.datasync.localoci.fault.FaultRule;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static dev.datasync.localoci.EmulatorRule.noRetries;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Object Storage through the real ObjectStorageClient. */
public class ObjectStorageApiTest extends LocalOciTestBase {
    private static final String BUCKET = "datasync-error-archive";
    private static ObjectStorageClient os;
    private static String namespace;

    @BeforeClass
    public static void client() {
        os = ObjectStorageClient.builder().endpoint(oci.baseUrl()).configuration(noRetries()).build(provider);
        namespace = os.getNamespace(GetNamespaceRequest.builder().build()).getValue();
    }

    @AfterClass
    public static void closeClient() {
        os.close();
    }

    private static PutObjectResponse put(String name, byte[] data) {
        return os.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET).objectName(name)
                .contentLength((long) data.length).putObjectBody(new ByteArrayInputStream(data)).build());
    }

    private static byte[] get(String name) throws Exception {
        GetObjectResponse r = os.getObject(GetObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET)
                .objectName(name).build());
        try (InputStream in = r.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static ListObjects list(ListObjectsRequest.Builder b) {
        return os.listObjects(b.namespaceName(namespace).bucketName(BUCKET).build()).getListObjects();
    }

    private static List<String> names(ListObjects l) {
        return l.getObjects().stream().map(ObjectSummary::getName).collect(Collectors.toList());
    }

    private static BmcException expectError(int status, String code, Runnable call) {
        try {
            call.run();
        } catch (BmcException e) {
            assertEquals(e.getMessage(), status, e.getStatusCode());
            if (code != null) { // a HEAD answer has no body, so no code (as on OCI)
                assertEquals(e.getMessage(), code, e.getServiceCode());
            }
            return e;
        }
        fail("expected " + status);
        return null;
    }

    @Test
    public void namespaceIsTheEmulatorsAndStable() {
        assertEquals(oci.resources().namespace(), namespace);
        assertTrue(namespace.matches("[a-z0-9]{12}"));
        assertNotNull(oci.resources().buckets().get(BUCKET));
    }

    @Test
    public void putGetHeadAndDeleteAnObjectWhoseNameHasSlashesAndSpaces() throws Exception {
        String name = "errors/2024 01/" + UUID.randomUUID() + ".json";
        byte[] data = "{\"syncId\":\"s-1\"}".getBytes(StandardCharsets.UTF_8);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
        PutObjectResponse put = os.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET)
                .objectName(name).contentLength((long) data.length).contentType("application/json")
                .contentMD5(md5).opcMeta(Map.of("source", "unit-test")).putObjectBody(new ByteArrayInputStream(data))
                .build());
        assertNotNull(put.getETag());
        assertEquals(md5, put.getOpcContentMd5());
        assertNotNull(put.getLastModified());

        GetObjectResponse got = os.getObject(GetObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET)
                .objectName(name).build());
        try (InputStream in = got.getInputStream()) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(put.getETag(), got.getETag());
        assertEquals("application/json", got.getContentType());
        assertEquals(data.length, (long) got.getContentLength());
        assertEquals(Map.of("source", "unit-test"), got.getOpcMeta());
        assertEquals(md5, got.getContentMd5());

        HeadObjectResponse head = os.headObject(HeadObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).build());
        assertEquals(put.getETag(), head.getETag());
        assertEquals(data.length, (long) head.getContentLength());
        assertEquals(Map.of("source", "unit-test"), head.getOpcMeta());
        assertEquals("application/json", head.getContentType());
        assertNotNull(head.getLastModified());

        os.deleteObject(DeleteObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET).objectName(name)
                .build());
        expectError(404, "ObjectNotFound", () -> os.getObject(GetObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).build()));
        expectError(404, null, () -> os.headObject(HeadObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).build()));
        expectError(404, "ObjectNotFound", () -> os.deleteObject(DeleteObjectRequest.builder()
                .namespaceName(namespace).bucketName(BUCKET).objectName(name).build()));
    }

    @Test
    public void overwriteChangesTheEtagAndEmptyObjectsWork() throws Exception {
        String name = "over-" + UUID.randomUUID();
        String first = put(name, new byte[] {1}).getETag();
        String second = put(name, new byte[0]).getETag();
        assertFalse(first.equals(second));
        assertArrayEquals(new byte[0], get(name));
    }

    @Test
    public void largeObjectRoundTripsAndRangesWork() throws Exception {
        String name = "big-" + UUID.randomUUID();
        byte[] data = new byte[5 * 1024 * 1024];
        new java.util.Random(7).nextBytes(data);
        put(name, data);
        assertArrayEquals(data, get(name));
        GetObjectResponse part = os.getObject(GetObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET)
                .objectName(name).range(new Range(10L, 19L)).build());
        try (InputStream in = part.getInputStream()) {
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 10, 20), in.readAllBytes());
        }
        assertEquals(10L, (long) part.getContentRange().getStartByte());
        expectError(416, "InvalidRange", () -> os.getObject(GetObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).range(new Range((long) data.length + 5, null)).build()));
    }

    @Test
    public void conditionalPutAndDelete() {
        String name = "cond-" + UUID.randomUUID();
        String etag = os.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET)
                .objectName(name).ifNoneMatch("*").contentLength(1L).putObjectBody(new ByteArrayInputStream(new byte[] {1}))
                .build()).getETag();
        expectError(412, "IfNoneMatchFailed", () -> os.putObject(PutObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).ifNoneMatch("*").contentLength(1L)
                .putObjectBody(new ByteArrayInputStream(new byte[] {2})).build()));
        expectError(412, "IfMatchFailed", () -> os.putObject(PutObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).ifMatch("stale").contentLength(1L)
                .putObjectBody(new ByteArrayInputStream(new byte[] {2})).build()));
        expectError(412, "IfMatchFailed", () -> os.deleteObject(DeleteObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).ifMatch("stale").build()));
        os.deleteObject(DeleteObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET).objectName(name)
                .ifMatch(etag).build());
    }

    /** The conditional reads of a state object (oci-new-services §4.1): 304 without a body for the current etag. */
    @Test
    public void conditionalGetIs304ForTheCurrentEtagAndAConditionalPutNeedsTheObject() throws Exception {
        String name = "cond-get-" + UUID.randomUUID();
        String etag = put(name, new byte[] {7}).getETag();
        GetObjectResponse same = os.getObject(GetObjectRequest.builder().namespaceName(namespace).bucketName(BUCKET)
                .objectName(name).ifNoneMatch(etag).build());
        assertTrue(same.isNotModified());
        assertNull("no body", same.getInputStream());
        GetObjectResponse changed = os.getObject(GetObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).ifNoneMatch("9a86a492-43fa-4c8c-a80e-dbd650188ff8").build());
        assertFalse(changed.isNotModified());
        try (InputStream in = changed.getInputStream()) {
            assertArrayEquals(new byte[] {7}, in.readAllBytes());
        }
        assertEquals(etag, changed.getETag());
        expectError(412, "IfMatchFailed", () -> os.getObject(GetObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).ifMatch("stale").build()));
        expectError(412, "IfMatchFailed", () -> os.putObject(PutObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName("cond-missing-" + UUID.randomUUID()).ifMatch(etag).contentLength(1L)
                .putObjectBody(new ByteArrayInputStream(new byte[] {1})).build()));
    }

    @Test
    public void badMd5UnknownBucketAndNamespace() {
        byte[] data = "abc".getBytes(StandardCharsets.UTF_8);
        String wrongMd5 = Base64.getEncoder().encodeToString(new byte[16]);
        String name = "md5-" + UUID.randomUUID();
        BmcException e = expectError(400, "UnmatchedContentMD5", () -> os.putObject(PutObjectRequest.builder()
                .namespaceName(namespace).bucketName(BUCKET).objectName(name).contentLength(3L).contentMD5(wrongMd5)
                .putObjectBody(new ByteArrayInputStream(data)).build()));
        assertTrue(e.getMessage().contains("does not match the Content-MD5 header"));
        expectError(404, null, () -> os.headObject(HeadObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).build()));
        expectError(404, "BucketNotFound", () -> os.putObject(PutObjectRequest.builder().namespaceName(namespace)
                .bucketName("no-such-bucket").objectName("x").contentLength(3L)
                .putObjectBody(new ByteArrayInputStream(data)).build()));
        expectError(404, "NamespaceNotFound", () -> os.listObjects(ListObjectsRequest.builder()
                .namespaceName("othernamespace").bucketName(BUCKET).build()));
        String tooLong = "n".repeat(ObjectStorageApi.MAX_OBJECT_NAME + 1);
        expectError(400, "InvalidParameter", () -> put(tooLong, data));
    }

    @Test
    public void listObjectsWithPrefixStartLimitDelimiterAndFields() {
        String root = "list-" + UUID.randomUUID() + "/";
        for (String n : List.of("a.json", "b.json", "c.json", "d/1.json", "d/2.json", "e.json")) {
            put(root + n, n.getBytes(StandardCharsets.UTF_8));
        }
        ListObjects all = list(ListObjectsRequest.builder().prefix(root));
        assertEquals(List.of(root + "a.json", root + "b.json", root + "c.json", root + "d/1.json", root + "d/2.json",
                root + "e.json"), names(all));
        assertNull(all.getNextStartWith());
        assertNull("only the name unless fields asks for more", all.getObjects().get(0).getSize());

        ListObjects page1 = list(ListObjectsRequest.builder().prefix(root).limit(2).fields("name,size,etag,md5,timeCreated"));
        assertEquals(List.of(root + "a.json", root + "b.json"), names(page1));
        assertEquals(root + "c.json", page1.getNextStartWith());
        assertEquals(6L, (long) page1.getObjects().get(0).getSize());
        assertNotNull(page1.getObjects().get(0).getEtag());
        assertNotNull(page1.getObjects().get(0).getMd5());
        assertNotNull(page1.getObjects().get(0).getTimeCreated());
        ListObjects page2 = list(ListObjectsRequest.builder().prefix(root).limit(2).start(page1.getNextStartWith()));
        assertEquals(List.of(root + "c.json", root + "d/1.json"), names(page2));

        ListObjects folders = list(ListObjectsRequest.builder().prefix(root).delimiter("/"));
        assertEquals(List.of(root + "a.json", root + "b.json", root + "c.json", root + "e.json"), names(folders));
        assertEquals(List.of(root + "d/"), folders.getPrefixes());

        ListObjects bounded = list(ListObjectsRequest.builder().prefix(root).startAfter(root + "a.json")
                .end(root + "d"));
        assertEquals(List.of(root + "b.json", root + "c.json"), names(bounded));

        expectError(400, "InvalidParameter", () -> list(ListObjectsRequest.builder().limit(1001)));
        expectError(400, "InvalidParameter", () -> list(ListObjectsRequest.builder().fields("name,colour")));
    }

    @Test
    public void putObjectAnswersExpectContinueBeforeTheBodyIsSent() throws Exception {
        URI uri = URI.create(oci.baseUrl() + "/n/" + namespace + "/b/" + BUCKET + "/o/expect%2Fcontinue.txt");
        byte[] body = "after-100".getBytes(StandardCharsets.UTF_8);
        Map<String, String> signed = RawSignedRequests.forEmulator(oci).sign("PUT", uri, body, false);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5000);
            StringBuilder head = new StringBuilder("PUT " + uri.getRawPath() + " HTTP/1.1\r\n");
            for (Map.Entry<String, String> h : signed.entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\nExpect: 100-continue\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String interim = readLine(in);
            assertEquals("HTTP/1.1 100 Continue", interim);
            while (!readLine(in).isEmpty()) {
                // rest of the interim response
            }
            out.write(body);
            out.flush();
            assertTrue(readLine(in).startsWith("HTTP/1.1 200"));
        }
        assertArrayEquals(body, get("expect/continue.txt"));
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    public void injectedFaultOnPutObject() throws Exception {
        String name = "fault-" + UUID.randomUUID();
        oci.faults().set("PutObject", FaultRule.failing(1.0, 500));
        expectError(500, "InternalServerError", () -> put(name, new byte[] {1}));
        oci.faults().clear();
        expectError(404, null, () -> os.headObject(HeadObjectRequest.builder().namespaceName(namespace)
                .bucketName(BUCKET).objectName(name).build()));
        put(name, new byte[] {1});
        assertArrayEquals(new byte[] {1}, get(name));
    }
}
