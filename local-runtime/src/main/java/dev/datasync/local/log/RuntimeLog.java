package dev.datasync.local.log;

import dev.datasync.shared.log.LogFields;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON-lines logger of the local runtime (one object per line on stderr, so stdout stays free for command output).
 * Same line shape and field names as shared-model's {@code JsonLog}, which the functions use, so one filter reads
 * both: {@code {"ts": RFC 3339 UTC, "level": "INFO"|"WARN"|"ERROR", "component": ..., "event": ..., ...fields}}.
 * Free-form fields are allowed here (JsonLog only has typed ones) because the platform side logs platform facts;
 * a field that means one of the things {@link LogFields} names uses that name (callers pass the constant).
 * Callers pass only names, ids, counts and codes: never tokens, payloads or message values.
 */
public final class RuntimeLog {

    private static volatile PrintStream out = System.err;

    private final String component;

    private RuntimeLog(String component) {
        this.component = component;
    }

    public static RuntimeLog of(String component) {
        return new RuntimeLog(component);
    }

    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public void info(String event, Object... kv) {
        write(LogFields.INFO, event, kv);
    }

    public void warn(String event, Object... kv) {
        write(LogFields.WARN, event, kv);
    }

    public void error(String event, Object... kv) {
        write(LogFields.ERROR, event, kv);
    }

    private void write(String level, String event, Object... kv) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(LogFields.TS, Instant.now().toString());
        fields.put(LogFields.LEVEL, level);
        fields.put(LogFields.COMPONENT, component);
        fields.put(LogFields.EVENT, event);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            fields.putIfAbsent(String.valueOf(kv[i]), kv[i + 1]); // an event field cannot replace a fixed one
        }
        StringBuilder sb = new StringBuilder(128).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                quote(sb, v.toString());
            }
        }
        sb.append('}');
        out.println(sb);
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
