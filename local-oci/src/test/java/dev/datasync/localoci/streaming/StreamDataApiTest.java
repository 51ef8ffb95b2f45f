package dev.datasync.localoci.streaming;

import com.oracle.bmc.streaming.StreamClient;
import com.oracle.bmc.streaming.model.CreateCursorDetails;
import com.oracle.bmc.streaming.model.Message;
import com.oracle.bmc.streaming.model.PutMessagesDetailsEntry;
import com.oracle.bmc.streaming.model.PutMessagesResult;
import com.oracle.bmc.streaming.model.PutMessagesResultEntry;
import com.oracle.bmc.streaming.model.Stream;
import com.oracle.bmc.streaming.requests.DeleteStreamRequest;
import com.oracle.bmc.streaming.responses.GetMessagesResponse;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.datasync.localoci.OciAssertions.expect;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Streaming data plane through the real StreamClient: PutMessages, cursors, GetMessages, limits. */
public class StreamDataApiTest extends StreamDataTestBase {
    @Test
    public void putThenReadBackInOrderWithKeysAndTimestamps() {
        Stream s = newStream(admin, compartment, "data-roundtrip", 1);
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry(i % 2 == 0 ? "k" + i : null, "v" + i));
        }
        PutMessagesResult result = put(client, s.getId(), entries);
        assertEquals(0, (int) result.getFailures());
        assertEquals(5, result.getEntries().size());
        for (int i = 0; i < 5; i++) {
            PutMessagesResultEntry e = result.getEntries().get(i);
            assertEquals("0", e.getPartition());
            assertEquals(i, (long) e.getOffset());
            assertNotNull(e.getTimestamp());
            assertNull(e.getError());
        }
        GetMessagesResponse r = get(client, s.getId(),
                cursor(client, s.getId(), 0, CreateCursorDetails.Type.TrimHorizon, null, null), 10);
        List<Message> messages = r.getItems();
        assertEquals(5, messages.size());
        for (int i = 0; i < 5; i++) {
            Message m = messages.get(i);
            assertEquals("data-roundtrip", m.getStream());
            assertEquals("0", m.getPartition());
            assertEquals(i, (long) m.getOffset());
            assertEquals("v" + i, new String(m.getValue(), StandardCharsets.UTF_8));
            if (i % 2 == 0) {
                assertEquals("k" + i, new String(m.getKey(), StandardCharsets.UTF_8));
            } else {
                assertNull(m.getKey());
            }
            assertEquals(result.getEntries().get(i).getTimestamp(), m.getTimestamp());
        }
        assertNotNull(r.getOpcNextCursor());
        // the next cursor continues after the last message: nothing new yet
        assertEquals(0, get(client, s.getId(), r.getOpcNextCursor(), null).getItems().size());
        put(client, s.getId(), List.of(entry(null, "later")));
        List<Message> later = get(client, s.getId(), r.getOpcNextCursor(), null).getItems();
        assertEquals(1, later.size());
        assertEquals(5, (long) later.get(0).getOffset());
    }

    @Test
    public void sameKeySamePartitionNullKeysSpread() {
        Stream s = newStream(admin, compartment, "data-partitioning", 4);
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            entries.add(entry(i < 100 ? "key-" + (i % 10) : null, "m" + i));
        }
        PutMessagesResult result = put(client, s.getId(), entries);
        Map<String, String> partitionOfKey = new HashMap<>();
        Set<String> nullKeyPartitions = new HashSet<>();
        Map<String, Long> lastOffset = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            PutMessagesResultEntry e = result.getEntries().get(i);
            if (i < 100) {
                String previous = partitionOfKey.putIfAbsent("key-" + (i % 10), e.getPartition());
                if (previous != null) {
                    assertEquals(previous, e.getPartition());
                }
            } else {
                nullKeyPartitions.add(e.getPartition());
            }
            Long last = lastOffset.put(e.getPartition(), e.getOffset());
            assertEquals(last == null ? 0L : last + 1, (long) e.getOffset()); // contiguous per partition, request order
        }
        assertTrue("null keys should spread over partitions: " + nullKeyPartitions, nullKeyPartitions.size() > 1);
    }

    @Test
    public void cursorTypes() throws Exception {
        Stream s = newStream(admin, compartment, "data-cursor-types", 1);
        String id = s.getId();
        put(client, id, List.of(entry(null, "a"), entry(null, "b"), entry(null, "c")));
        clock.advance(Duration.ofSeconds(10));
        Date afterFirstBatch = new Date(clock.millis());
        clock.advance(Duration.ofSeconds(10));
        put(client, id, List.of(entry(null, "d"), entry(null, "e")));

        assertEquals(List.of("c", "d", "e"), values(get(client, id, cursor(client, id, 0,
                CreateCursorDetails.Type.AtOffset, 2L, null), null).getItems()));
        assertEquals(List.of("d", "e"), values(get(client, id, cursor(client, id, 0,
                CreateCursorDetails.Type.AfterOffset, 2L, null), null).getItems()));
        assertEquals(List.of("d", "e"), values(get(client, id, cursor(client, id, 0,
                CreateCursorDetails.Type.AtTime, null, afterFirstBatch), null).getItems()));
        assertEquals(List.of("a", "b", "c", "d", "e"), values(get(client, id, cursor(client, id, 0,
                CreateCursorDetails.Type.TrimHorizon, null, null), null).getItems()));
        String latest = cursor(client, id, 0, CreateCursorDetails.Type.Latest, null, null);
        assertEquals(List.of(), values(get(client, id, latest, null).getItems()));
        put(client, id, List.of(entry(null, "f")));
        assertEquals(List.of("f"), values(get(client, id, latest, null).getItems()));
        // AT_OFFSET at the end offset is allowed (waits for the next message); beyond it is not
        assertEquals(List.of(), values(get(client, id, cursor(client, id, 0,
                CreateCursorDetails.Type.AtOffset, 6L, null), null).getItems()));
        expect(400, "InvalidParameter", () -> cursor(client, id, 0, CreateCursorDetails.Type.AtOffset, 7L, null));
        expect(400, "InvalidParameter", () -> cursor(client, id, 0, CreateCursorDetails.Type.AfterOffset, 6L, null));
        expect(400, "InvalidParameter", () -> cursor(client, id, 0, CreateCursorDetails.Type.AtOffset, -1L, null));
        expect(400, "MissingParameter", () -> cursor(client, id, 0, CreateCursorDetails.Type.AtOffset, null, null));
        expect(400, "MissingParameter", () -> cursor(client, id, 0, CreateCursorDetails.Type.AtTime, null, null));
        expect(400, "InvalidParameter", () -> cursor(client, id, 1, CreateCursorDetails.Type.Latest, null, null));
    }

    @Test
    public void limitAndNextCursorPageThroughAPartition() {
        Stream s = newStream(admin, compartment, "data-paging", 1);
        List<PutMessagesDetailsEntry> entries = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            entries.add(entry(null, "m" + i));
        }
        put(client, s.getId(), entries);
        String cursor = cursor(client, s.getId(), 0, CreateCursorDetails.Type.TrimHorizon, null, null);
        List<Long> offsets = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            GetMessagesResponse r = get(client, s.getId(), cursor, 10);
            assertTrue(r.getItems().size() <= 10);
            r.getItems().forEach(m -> offsets.add(m.getOffset()));
            cursor = r.getOpcNextCursor();
        }
        assertEquals(25, offsets.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(i, (long) offsets.get(i));
        }
        String c = cursor;
        expect(400, "InvalidParameter", () -> get(client, s.getId(), c, 10_001));
        expect(400, "InvalidParameter", () -> get(client, s.getId(), c, 0));
        assertEquals(0, get(client, s.getId(), c, 10_000).getItems().size());
    }

    @Test
    public void badExpiredAndForeignCursorsAre400() {
        Stream a = newStream(admin, compartment, "data-cursor-a", 1);
        Stream b = newStream(admin, compartment, "data-cursor-b", 1);
        String cursorA = cursor(client, a.getId(), 0, CreateCursorDetails.Type.TrimHorizon, null, null);
        expect(400, "InvalidParameter", () -> get(client, b.getId(), cursorA, null));
        expect(400, "InvalidParameter", () -> get(client, a.getId(), "not-a-cursor", null));
        String tampered = cursorA.substring(0, 5) + (cursorA.charAt(5) == 'A' ? 'B' : 'A') + cursorA.substring(6);
        expect(400, "InvalidParameter", () -> get(client, a.getId(), tampered, null));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        expect(400, "InvalidParameter", () -> get(client, a.getId(), cursorA, null));
    }

    @Test
    public void limitsOnKeyMessageAndRequestSize() {
        Stream s = newStream(admin, compartment, "data-limits", 1);
        byte[] key256 = new byte[256];
        byte[] key257 = new byte[257];
        assertEquals(0, (int) put(client, s.getId(), List.of(PutMessagesDetailsEntry.builder().key(key256)
                .value(utf8("ok")).build())).getFailures());
        expect(400, "InvalidParameter", () -> put(client, s.getId(), List.of(PutMessagesDetailsEntry.builder()
                .key(key257).value(utf8("x")).build())));
        // exactly 1 MiB of decoded bytes is accepted, one more byte is not
        byte[] mib = new byte[1024 * 1024];
        assertEquals(0, (int) put(client, s.getId(), List.of(PutMessagesDetailsEntry.builder().value(mib).build()))
                .getFailures());
        expect(400, "LimitExceeded", () -> put(client, s.getId(), List.of(PutMessagesDetailsEntry.builder()
                .value(new byte[1024 * 1024 + 1]).build())));
        byte[] half = new byte[600 * 1024];
        expect(400, "LimitExceeded", () -> put(client, s.getId(), List.of(
                PutMessagesDetailsEntry.builder().value(half).build(),
                PutMessagesDetailsEntry.builder().value(half).build())));
        expect(400, "InvalidParameter", () -> put(client, s.getId(), List.of()));
        // a rejected request wrote nothing: offsets continue at 2
        assertEquals(2L, (long) put(client, s.getId(), List.of(entry(null, "after"))).getEntries().get(0).getOffset());
        // a 1 MiB message comes back intact
        List<Message> big = get(client, s.getId(), cursor(client, s.getId(), 0,
                CreateCursorDetails.Type.AtOffset, 1L, null), 1).getItems();
        assertArrayEquals(mib, big.get(0).getValue());
    }

    @Test
    public void retentionTrimsOldMessages() {
        Stream s = newStream(admin, compartment, "data-retention", 1);
        put(client, s.getId(), List.of(entry(null, "old1"), entry(null, "old2")));
        String early = cursor(client, s.getId(), 0, CreateCursorDetails.Type.AtOffset, 0L, null);
        clock.advance(Duration.ofHours(23));
        put(client, s.getId(), List.of(entry(null, "new")));
        clock.advance(Duration.ofHours(1).plusSeconds(1)); // old ones now older than 24 h
        assertEquals(List.of("new"), values(get(client, s.getId(), cursor(client, s.getId(), 0,
                CreateCursorDetails.Type.TrimHorizon, null, null), null).getItems()));
        // a cursor at a trimmed offset reads from the oldest retained message
        assertEquals(List.of("new"), values(get(client, s.getId(), cursor(client, s.getId(), 0,
                CreateCursorDetails.Type.AtOffset, 0L, null), null).getItems()));
        expect(400, "InvalidParameter", () -> get(client, s.getId(), early, null)); // and old cursors expired
        // offsets keep counting after trimming
        assertEquals(3L, (long) put(client, s.getId(), List.of(entry(null, "newer"))).getEntries().get(0).getOffset());
    }

    @Test
    public void deletedStreamIs404OnTheDataPlane() {
        Stream s = newStream(admin, compartment, "data-deleted", 1);
        admin.deleteStream(DeleteStreamRequest.builder().streamId(s.getId()).build());
        expect(404, "NotAuthorizedOrNotFound", () -> put(client, s.getId(), List.of(entry(null, "x"))));
        expect(404, "NotAuthorizedOrNotFound",
                () -> cursor(client, s.getId(), 0, CreateCursorDetails.Type.Latest, null, null));
    }
}
