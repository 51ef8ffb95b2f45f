package dev.datasync.local.log;

/**
 * Text for a terminal: control characters (C0, DEL, C1: escape sequences, newlines, carriage returns, bells) are
 * shown as {@code \n}, {@code \r}, {@code \t} or {@code \\uXXXX}, so a value that came from a caller (a streamKey, a
 * target's reason) can neither run terminal escape sequences nor fake extra output lines. A backslash stays as it is.
 */
public final class ControlChars {

    private ControlChars() {
    }

    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (!control) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb == null ? s : sb.toString();
    }
}
