package dev.datasync.localoci.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Log lines as JSON on stderr (stdout carries only the process's "ready" line), in the project's one shape:
 * {@code {"ts":"<RFC 3339 UTC>","level":"INFO"|"WARN"|"ERROR","component":"local-oci","event":"...",...}} —
 * the same field names the functions' logger writes, so one filter reads every component's lines. This module
 * does not depend on the functions' shared code (it emulates OCI for them), so it spells the names of
 * shared-model's {@code LogFields} it uses here; local-runtime's {@code LogVocabularyTest} fails when they drift.
 * Never pass secrets here.
 */
public final class JsonLog {
    public static final String COMPONENT = "local-oci";

    // the field names, with the meanings shared-model's LogFields gives them
    public static final String TS = "ts";
    public static final String LEVEL = "level";
    public static final String COMPONENT_FIELD = "component";
    public static final String EVENT = "event";
    /** A stream's name. */
    public static final String STREAM = "stream";
    /** A machine-readable error code (here: an exception's class name). */
    public static final String CODE = "code";
    /** Why, for a person. */
    public static final String REASON = "reason";
    /** Which attempt this is (from 1); on a final line, the number of attempts made. */
    public static final String ATTEMPT = "attempt";
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
        line.put(TS, Instant.now().toString());
        line.put(LEVEL, level);
        line.put(COMPONENT_FIELD, COMPONENT);
        line.put(EVENT, event);
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
