package dev.datasync.localoci.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Log lines as JSON on stderr (stdout carries only the process's "ready" line). Never pass secrets here. */
public final class JsonLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLog() {}

    public static void info(String event, Object... keyValues) {
        write("info", event, keyValues);
    }

    public static void warn(String event, Object... keyValues) {
        write("warn", event, keyValues);
    }

    public static void error(String event, Object... keyValues) {
        write("error", event, keyValues);
    }

    private static void write(String level, String event, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("logger", "local-oci");
        line.put("event", event);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        try {
            System.err.println(MAPPER.writeValueAsString(line));
        } catch (java.io.IOException e) {
            System.err.println("{\"level\":\"error\",\"event\":\"log-failed\"}");
        }
    }
}
