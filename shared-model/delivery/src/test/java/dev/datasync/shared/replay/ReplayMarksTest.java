package dev.datasync.shared.replay;

import dev.datasync.shared.json.Json;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.state.InMemoryStateObjects;
import org.junit.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

public class ReplayMarksTest {

    private static final String STREAM = "ocid1.stream.oc1.iad.unavailable";

    private final InMemoryStateObjects state = new InMemoryStateObjects();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final ReplayMarks marks = new ReplayMarks(state, JsonLog.to(logLines::add, Clock.systemUTC()));

    @Test
    public void aPageOfSettledOffsetsIsOneReadAndOneWriteAndATinyObject() throws Exception {
        int before = state.calls();
        PartitionMarks none = marks.read(STREAM, "0");
        assertEquals(PartitionMarks.NONE, none);
        List<Long> delivered = LongStream.range(100, 1100).filter(o -> o % 100 != 50).boxed().toList();
        List<Long> moved = List.of(150L, 250L);
        PartitionMarks stored = marks.write(STREAM, "0", none.with(delivered, moved));
        assertEquals(2, state.calls() - before);

        byte[] object = state.read(ReplayMarks.objectName(STREAM, "0")).orElseThrow().body();
        assertTrue(new String(object, StandardCharsets.UTF_8), object.length < 200);
        var json = Json.parse(object);
        assertEquals("150,250", json.get("moved").asText());

        PartitionMarks read = marks.read(STREAM, "0");
        assertEquals(stored, read);
        assertEquals(Optional.of(Settlement.DELIVERED), read.settlementOf(100));
        assertEquals(Optional.of(Settlement.MOVED), read.settlementOf(250));
        assertEquals(Optional.empty(), read.settlementOf(350));
        assertEquals(Optional.empty(), read.settlementOf(1100));
    }

    @Test
    public void aLostRaceWritesTheUnionOverTheNewerVersion() {
        PartitionMarks mine = marks.read(STREAM, "0");
        PartitionMarks theirs = marks.read(STREAM, "0");
        marks.write(STREAM, "0", theirs.with(List.of(1L, 2L), List.of()));

        PartitionMarks stored = marks.write(STREAM, "0", mine.with(List.of(3L), List.of(4L)));
        PartitionMarks read = marks.read(STREAM, "0");
        assertEquals(stored, read);
        assertEquals("1-3", read.delivered().text());
        assertEquals("4", read.moved().text());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("replay.marks_race")));
    }

    @Test
    public void anUnreadableObjectCountsAsNoMarksAndIsReplacedByTheNextWrite() {
        state.create(ReplayMarks.objectName(STREAM, "0"), "{\"delivered\":\"9-3\"}".getBytes(StandardCharsets.UTF_8));
        PartitionMarks read = marks.read(STREAM, "0");
        assertEquals(Optional.empty(), read.settlementOf(5));
        assertTrue(logLines.stream().anyMatch(l -> l.contains("replay.marks_unreadable")));

        marks.write(STREAM, "0", read.with(List.of(5L), List.of()));
        assertEquals(Optional.of(Settlement.DELIVERED), marks.read(STREAM, "0").settlementOf(5));
    }

    @Test
    public void offsetsTheStreamNoLongerRetainsAreDropped() {
        PartitionMarks m = marks.write(STREAM, "0", PartitionMarks.NONE.with(List.of(1L, 2L, 3L, 10L), List.of(5L)));
        marks.write(STREAM, "0", m.from(3));
        PartitionMarks read = marks.read(STREAM, "0");
        assertEquals("3,10", read.delivered().text());
        assertEquals("5", read.moved().text());
    }

    @Test
    public void atMostMaxRangesOfEachKindAreStoredTheOldestDroppedFirst() {
        List<Long> alternate = LongStream.range(0, 2L * (ReplayMarks.MAX_RANGES + 5)).filter(o -> o % 2 == 0)
                .boxed().toList();
        marks.write(STREAM, "0", PartitionMarks.NONE.with(alternate, List.of()));
        PartitionMarks read = marks.read(STREAM, "0");
        assertEquals(ReplayMarks.MAX_RANGES, read.delivered().rangeCount());
        assertEquals(Optional.empty(), read.settlementOf(0));
        assertEquals(Optional.of(Settlement.DELIVERED), read.settlementOf(alternate.get(alternate.size() - 1)));
    }
}
