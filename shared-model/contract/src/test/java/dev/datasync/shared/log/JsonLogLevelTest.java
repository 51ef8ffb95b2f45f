package dev.datasync.shared.log;

import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.ConfigKeys;
import org.junit.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class JsonLogLevelTest {

    private static List<String> linesAt(LogLevel level) {
        List<String> lines = new ArrayList<>();
        JsonLog log = JsonLog.to(lines::add, Clock.systemUTC()).component("test").atLevel(level);
        log.debug("delivery.delivered").syncId("s").traceId("4bf92f3577b34da6a3ce929d0e0e4736").write();
        log.info("sync.accepted").write();
        log.warn("delivery.attempt").write();
        log.error("vault.unavailable").write();
        return lines;
    }

    @Test
    public void aLoggerWritesItsLevelAndAbove() {
        assertEquals(4, linesAt(LogLevel.DEBUG).size());
        assertTrue(linesAt(LogLevel.DEBUG).get(0).contains("\"level\":\"DEBUG\""));
        assertTrue(linesAt(LogLevel.DEBUG).get(0).contains("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\""));
        assertEquals("INFO drops the per-message DEBUG line", 3, linesAt(LogLevel.INFO).size());
        assertEquals(2, linesAt(LogLevel.WARN).size());
        assertEquals(1, linesAt(LogLevel.ERROR).size());
    }

    @Test
    public void logLevelIsReadInAnyCaseAndDefaultsToInfo() {
        assertEquals(LogLevel.DEBUG, LogLevel.parse("debug"));
        assertEquals(LogLevel.WARN, LogLevel.parse(" Warn "));
        assertThrows(IllegalArgumentException.class, () -> LogLevel.parse("verbose"));
        assertTrue(ConfigKeys.LOG_LEVEL.equals("log_level"));
        assertTrue(ConfigException.class.getName().endsWith("ConfigException"));
    }
}
