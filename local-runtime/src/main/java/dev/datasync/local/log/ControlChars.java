package dev.datasync.local.log;

/**
 * The one place that makes text from the data (a streamKey, a stream or source name, a target's reason, a server's
 * message) safe to print on a terminal — every command's text output and {@code up}'s short lines ({@link
 * TerminalLines}) go through it: every control character — C0 (ESC, CR, LF, BEL, backspace…), DEL, C1 (a lone U+009B is a
 * CSI on many terminals) — and the Unicode line separators and bidirectional overrides, which can make a line
 * read as something else, become visible escapes ({@code \n}, {@code \r}, {@code \t}, else {@code \u001b}).
 * Nothing from the data then moves the cursor, recolours, retitles the window or starts a new line.
 * Backslashes are left as they are: the output is for reading, not for parsing ({@code --json} is for that).
 */
public final class ControlChars {

    private ControlChars() {
    }

    /** {@code text} with its control characters escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b == null ? text : b.toString();
    }

    /**
     * {@code value} as pretty-printed JSON for {@code --json} output: still exact JSON (a parser reads the same
     * strings), but every character beyond ASCII is written as a {@code \\uXXXX} escape, so no C1 control or bidi
     * override from the data reaches a terminal raw (JSON itself escapes only C0 controls).
     */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectWriter JSON = dev.datasync.shared.json.Json.mapper()
            .writerWithDefaultPrettyPrinter().with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII);

    private static boolean unsafe(char c) {
        return Character.getType(c) == Character.CONTROL       // C0, DEL, C1
                || c == '\u2028' || c == '\u2029'              // line and paragraph separators
                || (c >= '\u202A' && c <= '\u202E')            // bidi embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069')            // bidi isolates
                || c == '\u200E' || c == '\u200F' || c == '\u061C'; // direction marks
    }
}
