package dev.datasync.shared.oci;

import dev.datasync.localoci.fault.FaultRule;
import org.junit.After;
import org.junit.ClassRule;
import org.junit.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The ingest bucket over local-oci: versions, reads from an offset of one version, the move of a finished file. */
public class IngestBucketLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients();

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    private static IngestBucket bucket() {
        return new IngestBucket(OCI.clients()::objectStorage,
                new StateBucket(OCI.clients()::objectStorage, OCI.config().state())::namespace, "datasync-ingest");
    }

    private static String read(InputStream in) throws Exception {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    public void aVersionIsReadFromAnOffsetAndNeverAfterItChanged() throws Exception {
        IngestBucket b = bucket();
        String name = "incoming/orders-app/" + UUID.randomUUID() + ".jsonl";
        String etag = b.put(name, "line one\nline two\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        IngestBucket.Version v = b.head(name).orElseThrow();
        assertEquals(etag, v.etag());
        assertEquals(18, v.size());
        assertEquals("line one\nline two\n", read(b.open(name, etag, 0).orElseThrow()));
        assertEquals("line two\n", read(b.open(name, etag, 9).orElseThrow()));

        b.put(name, "replaced\n".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        assertEquals("the old version is gone", Optional.empty(), b.open(name, etag, 0));
        assertEquals(Optional.empty(), b.head("incoming/none/" + UUID.randomUUID()));
    }

    @Test
    public void aFinishedFileMovesOnlyAsTheVersionRead() throws Exception {
        IngestBucket b = bucket();
        String rel = "orders-app/" + UUID.randomUUID() + ".jsonl";
        String etag = b.put("incoming/" + rel, "x\n".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertFalse(b.rename("incoming/" + rel, "not-it", "processed/" + rel));
        assertTrue(b.rename("incoming/" + rel, etag, "processed/" + rel));
        assertEquals(Optional.empty(), b.head("incoming/" + rel));
        assertEquals("x\n", read(b.open("processed/" + rel, b.head("processed/" + rel).orElseThrow().etag(), 0)
                .orElseThrow()));
        assertFalse("already moved", b.rename("incoming/" + rel, etag, "processed/" + rel));
        b.delete("processed/" + rel);
        b.delete("processed/" + rel);
        assertEquals(Optional.empty(), b.head("processed/" + rel));
    }

    @Test
    public void listsVersionsUnderAPrefix() {
        IngestBucket b = bucket();
        String prefix = "incoming/list-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        String e1 = b.put(prefix + "a", new byte[3], "text/plain");
        b.put(prefix + "b", new byte[5], "text/plain");
        List<IngestBucket.Version> found = b.list(prefix, 10);
        assertEquals(List.of(new IngestBucket.Version(prefix + "a", e1, 3)), found.subList(0, 1));
        assertEquals(2, found.size());
        assertEquals(5, found.get(1).size());
    }

    @Test
    public void anOutageIsUnavailable() {
        OCI.oci().faults().set("HeadObject", FaultRule.failing(1.0, 500));
        try {
            bucket().head("incoming/x/y");
            fail("a 500 is not an absent object");
        } catch (BucketUnavailableException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("500"));
        }
    }
}
