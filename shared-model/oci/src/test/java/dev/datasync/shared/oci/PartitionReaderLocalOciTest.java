package dev.datasync.shared.oci;

import com.oracle.bmc.streaming.Stream;
import dev.datasync.shared.retry.RetryRequestReader;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.support.AdjustableClock;
import dev.datasync.shared.testing.LocalPipeline;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** PartitionReader through the real SDK against local-oci. */
public class PartitionReaderLocalOciTest {

    private static AdjustableClock clock;
    private static LocalPipeline env;
    private static PartitionReader reader;

    @BeforeClass
    public static void start() {
        clock = new AdjustableClock();
        env = LocalPipeline.start(clock);
        reader = new PartitionReader(env.streams());
    }

    @AfterClass
    public static void stop() {
        env.close();
    }

    @After
    public void clearFaults() {
        env.oci().faults().clear();
    }

    private static List<Long> put(String stream, int n) {
        List<String> keys = new ArrayList<>(Collections.nCopies(n, (String) null));
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        return env.put(stream, keys, values);
    }

    @Test
    public void messagesAppendedAfterTheReadBeganAreNotPartOfIt() throws Exception {
        String s = env.stream(LocalPipeline.DEFAULT);
        List<Long> old = put(LocalPipeline.DEFAULT, 2);
        // every GetMessages waits 400 ms before reading; once the read's first GetMessages is under way (so the
        // read has begun), two more messages arrive, so that GetMessages returns all four. Waiting for the call
        // rather than a fixed 150 ms head start: a read whose first call (its tip cursor) is served after the append
        // counts the appended messages as its own.
        env.oci().faults().set("GetMessages", FaultRule.latency(400));
        CountDownLatch readUnderWay = new CountDownLatch(1);
        Stream observed = (Stream) Proxy.newProxyInstance(Stream.class.getClassLoader(), new Class<?>[] {Stream.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getMessages")) {
                        readUnderWay.countDown();
                    }
                    try {
                        return method.invoke(env.streams(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Thread appender = new Thread(() -> {
            try {
                if (readUnderWay.await(30, TimeUnit.SECONDS)) {
                    put(LocalPipeline.DEFAULT, 2);
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
        env.oci().faults().clear();
        List<com.oracle.bmc.streaming.model.Message> all = env.readAll(LocalPipeline.DEFAULT);
        assertEquals("the two late messages are in the stream, just not in this read", old.get(1) + 2,
                all.get(all.size() - 1).getOffset().longValue());
    }

    @Test
    public void readsExactlyTheCountAndKnowsWhetherMoreFollow() {
        String s = env.stream(LocalPipeline.INTERNAL_SERVER);
        List<Long> offsets = put(LocalPipeline.INTERNAL_SERVER, 5);
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
        String s = env.stream(LocalPipeline.SERVICE_UNAVAILABLE);
        List<Long> offsets = put(LocalPipeline.SERVICE_UNAVAILABLE, 40);
        List<List<Long>> pages = new ArrayList<>();
        // while the first page is handled, more messages arrive (as failures routed back into the stream would)
        PartitionReader.Result r = reader.read(s, "0", offsets.get(0) - 1, 100, page -> {
            if (pages.isEmpty()) {
                put(LocalPipeline.SERVICE_UNAVAILABLE, 5);
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
        String s = env.stream(LocalPipeline.UNRECOVERABLE);
        List<Long> gone = put(LocalPipeline.UNRECOVERABLE, 2);
        clock.advance(Duration.ofHours(25)); // past the 24 h retention
        List<Long> kept = put(LocalPipeline.UNRECOVERABLE, 2);
        PartitionReader.Read read = reader.read(s, "0", gone.get(0), 10);
        assertTrue(read.offsetTrimmed());
        assertEquals(kept, read.messages().stream().map(m -> m.getOffset()).toList());
        assertTrue(read.reachedTip());
    }
}
