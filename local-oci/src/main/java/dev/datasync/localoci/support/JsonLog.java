package dev.datasync.localoci.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Log lines as JSON on stderr (stdout carries only the process's "ready" line), in the project's one shape:
 * {@code {"ts":"<RFC 3339 UTC>","level":"INFO"|"WARN"|"ERROR","component":"local-oci","event":"...",...}} —
 * the same field names the functions' logger writes, so one filter reads every component's lines (this module
 * deliberately does not depend on the functions' shared code). Never pass secrets here.
 */
public final class JsonLog {
    public static final String COMPONENT = "local-oci";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLog() {}

    public static void info(String event, Object... keyValues) {
        write("INFO", event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        write("WARN", event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        write("ERROR", event, keyValues);
    }

    private static void write(String level, String event, Object... keyValues) {
        System.err.println(line(level, event, keyValues));
    }

    /**
     * One line in the common shape; {@code keyValues} (name, value, name, value, ...) follow the fixed fields
     * and cannot replace them. Also used for the process's "ready" line on stdout.
     */
    public static String line(String level, String event, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", Instant.now().toString());
        line.put("level", level);
        line.put("component", COMPONENT);
        line.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.putIfAbsent(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        try {
            return MAPPER.writeValueAsString(line);
        } catch (java.io.IOException e) {
            return "{\"ts\":\"" + Instant.now() + "\",\"level\":\"ERROR\",\"component\":\"" + COMPONENT
                    + "\",\"event\":\"log-failed\"}";
        }
    }
}
