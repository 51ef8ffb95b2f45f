package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.streaming.Stream;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.requests.PutMessagesRequest;
import com.oracle.bmc.streaming.responses.PutMessagesResponse;
import org.junit.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Logic tests with a scripted Stream; the wire path is covered against local-oci in StreamWriterLocalOciTest. */
public class StreamWriterTest {

    final List<PutMessagesRequest> requests = new ArrayList<>();

    Stream stream(Function<PutMessagesRequest, PutMessagesResult> answer) {
        return (Stream) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Stream.class},
                (p, m, args) -> {
                    if (!m.getName().equals("putMessages")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    PutMessagesRequest r = (PutMessagesRequest) args[0];
                    requests.add(r);
                    return PutMessagesResponse.builder().putMessagesResult(answer.apply(r)).build();
                });
    }

    static StreamEntry entry(String key, String value) {
        return new StreamEntry(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    static PutMessagesResult allOk(PutMessagesRequest r) {
        List<PutMessagesResultEntry> out = new ArrayList<>();
        long offset = 0;
        for (PutMessagesDetailsEntry ignored : r.getPutMessagesDetails().getMessages()) {
            out.add(PutMessagesResultEntry.builder().partition("0").offset(offset++).build());
        }
        return PutMessagesResult.builder().failures(0).entries(out).build();
    }

    @Test
    public void writesKeysAndValuesAndReturnsOffsets() {
        StreamWriter w = new StreamWriter(stream(StreamWriterTest::allOk));
        List<EntryResult> r = w.put("ocid1.stream.oc1..s", List.of(entry("k1", "v1"), entry(null, "v2")));
        assertEquals(2, r.size());
        assertTrue(r.get(0).ok() && r.get(1).ok());
        assertEquals(Long.valueOf(1), r.get(1).offset());
        PutMessagesDetailsEntry second = requests.get(0).getPutMessagesDetails().getMessages().get(1);
        assertNull("no key means no key, never the string \"null\"", second.getKey());
        assertArrayEquals("k1".getBytes(StandardCharsets.UTF_8),
                requests.get(0).getPutMessagesDetails().getMessages().get(0).getKey());
    }

    /** Regression (reference): per-entry PutMessages errors were only logged and the caller told "success". */
    @Test
    public void perEntryErrorsAreReported() {
        StreamWriter w = new StreamWriter(stream(r -> PutMessagesResult.builder().failures(1).entries(List.of(
                PutMessagesResultEntry.builder().partition("0").offset(5L).build(),
                PutMessagesResultEntry.builder().error("InternalServerError").errorMessage("try later").build()))
                .build()));
        List<EntryResult> r = w.put("ocid1.stream.oc1..s", List.of(entry("a", "1"), entry("b", "2")));
        assertTrue(r.get(0).ok());
        assertFalse(r.get(1).ok());
        assertEquals("InternalServerError", r.get(1).error());
    }

    @Test
    public void wholeRequestFailureFailsEveryEntry() {
        StreamWriter w = new StreamWriter(stream(r -> {
            throw new BmcException(503, "ServiceUnavailable", "down", "req");
        }));
        List<EntryResult> r = w.put("ocid1.stream.oc1..s", List.of(entry("a", "1"), entry("b", "2")));
        assertEquals(2, r.size());
        for (EntryResult e : r) {
            assertFalse(e.ok());
            assertEquals(503, e.httpStatus());
        }
        StreamWriter network = new StreamWriter(stream(r2 -> {
            throw new IllegalStateException("connection refused");
        }));
        assertFalse(network.put("ocid1.stream.oc1..s", List.of(entry("a", "1"))).get(0).ok());
    }

    @Test
    public void answerWithTheWrongNumberOfEntriesIsAFailure() {
        StreamWriter w = new StreamWriter(stream(r -> PutMessagesResult.builder().failures(0).entries(List.of())
                .build()));
        assertFalse(w.put("ocid1.stream.oc1..s", List.of(entry("a", "1"))).get(0).ok());
    }

    @Test
    public void requestsStayWithinOneMegabyte() {
        StreamWriter w = new StreamWriter(stream(StreamWriterTest::allOk));
        String big = "x".repeat(400 * 1024);
        List<EntryResult> r = w.put("ocid1.stream.oc1..s",
                List.of(entry("a", big), entry("b", big), entry("c", big), entry("d", "small")));
        assertEquals(4, r.size());
        assertEquals(2, requests.size());
        assertEquals(2, requests.get(0).getPutMessagesDetails().getMessages().size());
        assertEquals(2, requests.get(1).getPutMessagesDetails().getMessages().size());
    }
}
