package dev.datasync.shared.oci;

import com.oracle.bmc.streaming.Stream;
import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.testing.ForwardingProxy;
import dev.datasync.shared.testing.LocalOciRule;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** PartitionReader through the real SDK against local-oci. */
public class PartitionReaderLocalOciTest {

    private static final String DEFAULT = "DefaultErrorStream";
    private static final String INTERNAL_SERVER = "InternalServerErrorStream";
    private static final String SERVICE_UNAVAILABLE = "ServiceUnavailableErrorStream";
    private static final String UNRECOVERABLE = "UnrecoverableErrorStream";

    private static final AdjustableClock clock = new AdjustableClock();

    @ClassRule
    public static final LocalOciClients OCI = new LocalOciClients(LocalOciRule.withClock(clock), config -> { });

    private static PartitionReader reader;

    @BeforeClass
    public static void connect() {
        reader = new PartitionReader(OCI.clients().stream());
    }

    @After
    public void clearFaults() {
        OCI.oci().faults().clear();
    }

    /** The OCID of a stream of the project's declaration (each of these has the one partition "0"). */
    private static String stream(String name) {
        return OCI.oci().resources().streams().get(name);
    }

    /** Appends {@code n} messages without key and returns their offsets. */
    private static List<Long> put(String streamName, int n) {
        List<StreamEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(new StreamEntry(null, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        List<Long> offsets = new ArrayList<>();
        for (EntryResult r : new StreamWriter(OCI.clients()::stream).put(stream(streamName), entries)) {
            assertTrue(r.toString(), r.ok());
            offsets.add(r.offset());
        }
        return offsets;
    }

    @Test
    public void messagesAppendedAfterTheReadBeganAreNotPartOfIt() throws Exception {
        String s = stream(DEFAULT);
        List<Long> old = put(DEFAULT, 2);
        // every GetMessages waits 400 ms before reading; once the read's first GetMessages is under way (so the
        // read has begun), two more messages arrive, so that GetMessages returns all four. Waiting for the call
        // rather than a fixed 150 ms head start: a read whose first call (its tip cursor) is served after the append
        // counts the appended messages as its own.
        OCI.oci().faults().set("GetMessages", FaultRule.latency(400));
        CountDownLatch readUnderWay = new CountDownLatch(1);
        Stream observed = ForwardingProxy.of(Stream.class, OCI.clients().stream(), (method, args) -> {
            if (method.equals("getMessages")) {
                readUnderWay.countDown();
            }
        });
        Thread appender = new Thread(() -> {
            try {
                if (readUnderWay.await(30, TimeUnit.SECONDS)) {
                    put(DEFAULT, 2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        appender.start();
        PartitionReader.Read read = new PartitionReader(observed).read(s, "0", old.get(0) - 1, 10);
        appender.join();
        assertEquals(List.of(old.get(0), old.get(1)), read.messages().stream().map(m -> m.getOffset()).toList());
        assertTrue(read.reachedTip());
        OCI.oci().faults().clear();
        List<com.oracle.bmc.streaming.model.Message> all = reader.read(s, "0", -1, RetryRequestReader.MAX_MESSAGES)
                .messages();
        assertEquals("the two late messages are in the stream, just not in this read", old.get(1) + 2,
                all.get(all.size() - 1).getOffset().longValue());
    }

    @Test
    public void readsExactlyTheCountAndKnowsWhetherMoreFollow() {
        String s = stream(INTERNAL_SERVER);
        List<Long> offsets = put(INTERNAL_SERVER, 5);
        PartitionReader.Read first = reader.read(s, "0", offsets.get(0) - 1, 3);
        assertEquals(3, first.messages().size());
        assertFalse(first.reachedTip());
        PartitionReader.Read rest = reader.read(s, "0", offsets.get(2), 2);
        assertEquals(2, rest.messages().size());
        assertTrue("exactly the remaining count read: the end is known without reading past it", rest.reachedTip());
        PartitionReader.Read none = reader.read(s, "0", offsets.get(4), 2);
        assertTrue(none.messages().isEmpty());
        assertTrue(none.reachedTip());
        assertFalse(none.offsetTrimmed());
    }

    @Test
    public void pagedReadsKeepExactCountAndTheTipWhileMessagesAreAppendedBetweenPages() {
        String s = stream(SERVICE_UNAVAILABLE);
        List<Long> offsets = put(SERVICE_UNAVAILABLE, 40);
        List<List<Long>> pages = new ArrayList<>();
        // while the first page is handled, more messages arrive (as failures routed back into the stream would)
        PartitionReader.Result r = reader.read(s, "0", offsets.get(0) - 1, 100, page -> {
            if (pages.isEmpty()) {
                put(SERVICE_UNAVAILABLE, 5);
            }
            pages.add(page.stream().map(m -> m.getOffset()).toList());
            return true;
        });
        List<Long> handed = pages.stream().flatMap(List::stream).toList();
        assertEquals("exactly the 40 that were there when the read began", offsets, handed);
        assertTrue(pages.size() >= 2);
        assertTrue(pages.get(0).size() <= PartitionReader.FIRST_PAGE_LIMIT);
        assertTrue(r.reachedTip());
        assertFalse(r.stopped());

        // exact N over pages, and "more follow" known without reading past N
        List<Long> exact = new ArrayList<>();
        PartitionReader.Result n = reader.read(s, "0", offsets.get(0) - 1, 30, page -> {
            page.forEach(m -> exact.add(m.getOffset()));
            return true;
        });
        assertEquals(offsets.subList(0, 30), exact);
        assertFalse(n.reachedTip());

        // the handler can stop the read: nothing more is read, the tip is not claimed
        List<Long> one = new ArrayList<>();
        PartitionReader.Result stopped = reader.read(s, "0", offsets.get(0) - 1, 40, page -> {
            page.forEach(m -> one.add(m.getOffset()));
            return false;
        });
        assertTrue(stopped.stopped());
        assertFalse(stopped.reachedTip());
        assertEquals(offsets.subList(0, PartitionReader.FIRST_PAGE_LIMIT), one);
    }

    @Test
    public void pageLimitsFollowTheLargestMessageSeenWithinTheByteBudget() {
        assertEquals(16, PartitionReader.nextLimit(1024 * 1024)); // 1 MB messages: 16 MB a page
        assertEquals(4096, PartitionReader.nextLimit(100)); // tiny ones count as 4 KB
        assertEquals(4096, PartitionReader.nextLimit(0));
        assertEquals(1, PartitionReader.nextLimit(64L * 1024 * 1024));
        assertTrue(PartitionReader.nextLimit(1) <= RetryRequestReader.MAX_MESSAGES);
        assertTrue(PartitionReader.FIRST_PAGE_LIMIT * 1024L * 1024 <= PartitionReader.PAGE_BYTES);
    }

    @Test
    public void aTrimmedOffsetStartsAtTheOldestAndSaysSo() {
        String s = stream(UNRECOVERABLE);
        List<Long> gone = put(UNRECOVERABLE, 2);
        clock.advance(Duration.ofHours(25)); // past the 24 h retention
        List<Long> kept = put(UNRECOVERABLE, 2);
        PartitionReader.Read read = reader.read(s, "0", gone.get(0), 10);
        assertTrue(read.offsetTrimmed());
        assertEquals(kept, read.messages().stream().map(m -> m.getOffset()).toList());
        assertTrue(read.reachedTip());
    }
}
