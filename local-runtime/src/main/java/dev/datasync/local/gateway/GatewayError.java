package dev.datasync.local.gateway;

import java.nio.charset.StandardCharsets;

/**
 * The JSON error body the gateway itself answers with: {@code {"code","message","field"}}, plus {@code "limit"}
 * when a limit was exceeded (the rate limit's {@code "ratePerSecond"}). {@code field} names the request header at
 * fault, or is null.
 */
public record GatewayError(int status, String code, String message, String field, String limit) {

    GatewayError(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    /** 401: a credential is missing or refused; {@code field} is the header it belongs in. */
    static GatewayError unauthorized(String field, String message) {
        return new GatewayError(401, "Unauthorized", message, field, null);
    }

    /** The body: {@code {"code","message","field"}}. */
    public byte[] json() {
        StringBuilder sb = new StringBuilder("{\"code\":");
        quote(sb, code);
        sb.append(",\"message\":");
        quote(sb, message);
        sb.append(",\"field\":");
        if (field == null) {
            sb.append("null");
        } else {
            quote(sb, field);
        }
        if (limit != null) {
            sb.append(",\"limit\":");
            quote(sb, limit);
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
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
