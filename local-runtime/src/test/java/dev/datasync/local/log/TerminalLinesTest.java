package dev.datasync.local.log;

import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

public class TerminalLinesTest {

    private static final String ES = "ocid1.stream.oc1.local.su";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TerminalLines lines = new TerminalLines(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            id -> Map.of(ES, "ServiceUnavailableErrorStream").getOrDefault(id, id), 3_600_000);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String line(String level, String event, String more) {
        return "{\"ts\":\"2026-12-07T08:00:00Z\",\"level\":\"" + level + "\",\"component\":\"read-data-stream-fn\","
                + "\"event\":\"" + event + "\"" + more + "}";
    }

    @Test
    public void perMessageLinesBecomeOneLineOfCountsPerInterval() {
        for (int i = 0; i < 10; i++) {
            lines.accept(line("INFO", "sync.accepted", ",\"syncId\":\"s" + i + "\""));
            lines.accept(line("WARN", "delivery.attempt", ",\"syncId\":\"s" + i + "\",\"status\":503"));
            if (i < 7) {
                lines.accept(line("INFO", "delivery.delivered", ",\"syncId\":\"s" + i + "\""));
            } else {
                lines.accept(line("WARN", "delivery.failed", ",\"syncId\":\"s" + i + "\""));
                lines.accept(line("INFO", "message.routed", ",\"syncId\":\"s" + i + "\",\"outcome\":\"routed\","
                        + "\"errorStreamId\":\"" + ES + "\""));
            }
            lines.accept(line("INFO", "batch.done", ",\"messages\":1"));
        }
        assertEquals("nothing before the interval ends", "", printed());
        lines.printCounts();
        String out = printed();
        assertEquals(out, 1, out.split("\n").length);
        assertTrue(out, out.matches("\\d\\d:\\d\\d:\\d\\d accepted 10 · delivered 7 · failed attempts 10 · routed 3 "
                + "\\(ServiceUnavailableErrorStream 3\\)\n"));
        lines.printCounts();
        assertEquals("an interval with nothing prints nothing", out, printed());
    }

    @Test
    public void aDeadLetterAWarningAndAnErrorAreALineEachAtOnceEscaped() {
        lines.accept(line("INFO", "redrive.dead_lettered", ",\"syncId\":\"s1\",\"streamId\":\"" + ES
                + "\",\"code\":\"maxAge\""));
        lines.accept(line("WARN", "target.circuit", ",\"targetHost\":\"evil\\u001b[2J\\nhost\""));
        lines.accept(line("ERROR", "config.invalid", ",\"reason\":\"bad\""));
        String[] out = printed().split("\n");
        assertEquals(printed(), 3, out.length);
        assertTrue(out[0], out[0].endsWith(" dead-lettered s1 from ServiceUnavailableErrorStream (maxAge)"));
        assertTrue(out[1], out[1].endsWith(" WARN read-data-stream-fn target.circuit targetHost=evil\\u001b[2J\\nhost"));
        assertFalse(printed().contains("\u001b"));
        assertTrue(out[2], out[2].endsWith(" ERROR read-data-stream-fn config.invalid reason=bad"));
    }

    @Test
    public void warmUpLinesAndTextThatIsNotJsonAreNotShown() {
        lines.accept(line("INFO", "sync.rejected", ",\"warmUp\":true"));
        lines.accept(line("WARN", "sync.rejected", ",\"warmUp\":true"));
        lines.accept("SLF4J: Failed to load class");
        lines.accept(line("INFO", "function_started", ""));
        lines.printCounts();
        assertEquals("", printed());
    }
}
