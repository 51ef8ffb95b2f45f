package dev.datasync.shared.oci;

import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.requests.CreateCursorRequest;
import com.oracle.bmc.streaming.requests.GetMessagesRequest;
import dev.datasync.localoci.fault.FaultRule;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

/** StreamWriter and OciClients through the real OCI SDK against local-oci (signed requests, real wire format). */
public class StreamWriterLocalOciTest {

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients();

    static OciClients clients;
    static String stream;

    @BeforeClass
    public static void connect() {
        clients = OCI.clients();
        stream = OCI.oci().resources().streams().get("UnrecoverableErrorStream"); // one partition: simple to read back
    }

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    @Test
    public void writesAndReadsBackWithKeyAndWithoutKey() {
        StreamWriter w = new StreamWriter(clients::stream);
        List<EntryResult> r = w.put(stream, List.of(
                new StreamEntry("k1".getBytes(StandardCharsets.UTF_8), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                new StreamEntry(null, "{\"b\":2}".getBytes(StandardCharsets.UTF_8))));
        assertTrue(r.toString(), r.get(0).ok() && r.get(1).ok());
        assertEquals(r.get(0).offset() + 1, (long) r.get(1).offset());

        String cursor = clients.stream().createCursor(CreateCursorRequest.builder().streamId(stream)
                .createCursorDetails(CreateCursorDetails.builder().partition(r.get(0).partition())
                        .type(CreateCursorDetails.Type.AtOffset).offset(r.get(0).offset()).build())
                .build()).getCursor().getValue();
        List<Message> read = clients.stream().getMessages(GetMessagesRequest.builder().streamId(stream)
                .cursor(cursor).limit(2).build()).getItems();
        assertEquals(2, read.size());
        assertEquals("k1", new String(read.get(0).getKey(), StandardCharsets.UTF_8));
        assertEquals("{\"a\":1}", new String(read.get(0).getValue(), StandardCharsets.UTF_8));
        assertNull("a message without key has no key (never the text \"null\")", read.get(1).getKey());
    }

    @Test
    public void clientsAreBuiltOncePerContainer() {
        // regression (reference): a new client per message / per error-stream write
        assertSame(clients.stream(), clients.stream());
        assertSame(clients.vaults(), clients.vaults());
        assertSame(clients.secrets(), clients.secrets());
    }

    /** Regression (reference): a failed PutMessages entry was reported as success. */
    @Test
    public void perEntryAndWholeRequestFailuresAreReported() {
        StreamWriter w = new StreamWriter(clients::stream);
        OCI.oci().faults().set("PutMessages", new FaultRule(null, null, null, 1.0));
        List<EntryResult> r = w.put(stream, List.of(new StreamEntry(null, "x".getBytes(StandardCharsets.UTF_8))));
        assertFalse(r.get(0).ok());
        assertTrue(r.get(0).error() != null);

        OCI.oci().faults().set("PutMessages", FaultRule.failing(1.0, 503));
        r = w.put(stream, List.of(new StreamEntry(null, "x".getBytes(StandardCharsets.UTF_8)),
                new StreamEntry(null, "y".getBytes(StandardCharsets.UTF_8))));
        assertEquals(2, r.size());
        assertFalse(r.get(0).ok() || r.get(1).ok());
        assertEquals(503, r.get(0).httpStatus());
    }
}
