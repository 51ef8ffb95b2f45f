package dev.datasync.shared.contract;

import org.junit.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

public class TraceParentTest {

    private static final Pattern W3C = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    public void aValidHeaderIsKeptAsSent() {
        TraceParent t = TraceParent.parse(VALID).orElseThrow();
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", t.traceId());
        assertEquals("00f067aa0ba902b7", t.parentId());
        assertEquals("01", t.flags());
        assertEquals(VALID, t.header());
        assertEquals(VALID, TraceParent.parse("  " + VALID + " ").orElseThrow().header());
    }

    @Test
    public void invalidHeadersAreIgnoredAsW3cSays() {
        for (String bad : List.of("", "garbage", VALID.toUpperCase(), VALID + "-extra", VALID.substring(1),
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",           // version ff
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",           // all-zero trace id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",           // all-zero parent id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",           // flags not hex
                "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
                "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
            assertFalse(bad, TraceParent.parse(bad).isPresent());
        }
        assertFalse(TraceParent.parse(null).isPresent());
    }

    @Test
    public void aLaterVersionIsReadForItsFirstFourFields() {
        TraceParent t = TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")
                .orElseThrow();
        assertEquals(VALID, t.header());
        assertFalse(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x").isPresent());
    }

    @Test
    public void aStartedTraceIsValidAndRandom() {
        Set<String> traces = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            TraceParent t = TraceParent.start();
            assertTrue(t.header(), W3C.matcher(t.header()).matches());
            assertEquals(t, TraceParent.parse(t.header()).orElseThrow());
            traces.add(t.traceId());
        }
        assertEquals("no trace id twice", 100, traces.size());
        assertEquals(VALID, TraceParent.continueOrStart(VALID).header());
        assertNotEquals("4bf92f3577b34da6a3ce929d0e0e4736",
                TraceParent.continueOrStart(VALID.toUpperCase()).traceId());
    }

    @Test
    public void theNextSpanKeepsTheTraceAndFlagsWithANewSpanId() {
        TraceParent caller = TraceParent.parse(VALID).orElseThrow();
        Set<String> spans = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            TraceParent call = caller.nextSpan();
            assertEquals(caller.traceId(), call.traceId());
            assertEquals(caller.flags(), call.flags());
            assertNotEquals(caller.parentId(), call.parentId());
            spans.add(call.parentId());
        }
        assertEquals(50, spans.size());
    }

    @Test
    public void theStoredMessageKeepsItAndACallerCannotSetIt() {
        StreamMessage m = StreamMessage.fromJson(dev.datasync.shared.json.Json.mapper().createObjectNode()
                .put("targetRestApi", "https://example.com/x"));
        StreamMessage stored = m.accepted("id-1", java.time.Instant.EPOCH, "orders-app",
                TraceParent.parse(VALID).orElseThrow());
        assertEquals(VALID, stored.toJson().get(StreamMessage.TRACEPARENT).asText());
        assertEquals(VALID, StreamMessage.fromJson(stored.toJson()).traceparent());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", StreamMessage.traceIdOf(stored.toJson()));
        assertTrue("owned by the pipeline: dropped from a sync request", PipelineFields.isOwned("traceparent"));
        assertTrue(PipelineFields.isOwned("TraceParent"));
    }
}
