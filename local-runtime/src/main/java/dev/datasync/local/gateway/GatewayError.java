package dev.datasync.local.gateway;

import java.nio.charset.StandardCharsets;

/** The JSON error body the gateway itself answers with: {@code {"code","message","field"}}. */
record GatewayError(int status, String code, String message) {

    byte[] json() {
        StringBuilder sb = new StringBuilder("{\"code\":");
        quote(sb, code);
        sb.append(",\"message\":");
        quote(sb, message);
        sb.append(",\"field\":null}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
