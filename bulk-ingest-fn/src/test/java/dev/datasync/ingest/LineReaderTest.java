package dev.datasync.ingest;

import org.junit.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

/** Lines, their numbers and where each ends: what a checkpoint names. */
public class LineReaderTest {

    private static List<LineReader.Line> read(String text, long firstLine, long offset, int max) throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), firstLine,
                offset, max);
        List<LineReader.Line> lines = new ArrayList<>();
        for (LineReader.Line l = r.next(); l != null; l = r.next()) {
            lines.add(l);
        }
        return lines;
    }

    private static String text(LineReader.Line l) {
        return new String(l.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    public void linesEndAtNewlinesAndTheLastNeedsNone() throws Exception {
        List<LineReader.Line> lines = read("a\nbc\r\n\nd", 1, 0, 100);
        assertEquals(4, lines.size());
        assertEquals(List.of("a", "bc\r", "", "d"), lines.stream().map(LineReaderTest::text).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(LineReader.Line::number).toList());
        assertEquals(List.of(2L, 6L, 7L, 8L), lines.stream().map(LineReader.Line::end).toList());
    }

    @Test
    public void aFinalNewlineMakesNoEmptyLineAndAnEmptyFileNoLine() throws Exception {
        assertEquals(1, read("a\n", 1, 0, 100).size());
        assertEquals(0, read("", 1, 0, 100).size());
    }

    @Test
    public void aResumedReadCountsOnFromItsCheckpoint() throws Exception {
        List<LineReader.Line> lines = read("x\nyy\n", 41, 1000, 100);
        assertEquals(41, lines.get(0).number());
        assertEquals(1002, lines.get(0).end());
        assertEquals(42, lines.get(1).number());
        assertEquals(1005, lines.get(1).end());
    }

    @Test
    public void aLineTooLongIsSkippedWholeAndTheNextReadOn() throws Exception {
        String big = "z".repeat(200_000);
        List<LineReader.Line> lines = read("ok\n" + big + "\nnext\n", 1, 0, 1000);
        assertEquals(3, lines.size());
        assertFalse(lines.get(0).tooLong());
        assertTrue(lines.get(1).tooLong());
        assertEquals(0, lines.get(1).bytes().length);
        assertEquals(3 + big.length() + 1, lines.get(1).end());
        assertEquals("next", text(lines.get(2)));
    }
}
