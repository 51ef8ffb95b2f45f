package dev.datasync.populate;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether a Content-Type is {@code application/json} (any case, parameters allowed; a {@code charset} must be
 * UTF-8). Requiring it means a web page cannot post a sync request from another origin: a cross-origin form or
 * "simple" request can only send text/plain, form or multipart types.
 */
final class JsonMediaType {

    private JsonMediaType() {
    }

    static boolean accepts(Optional<String> contentType) {
        if (contentType.isEmpty()) {
            return false;
        }
        String[] parts = contentType.get().split(";", -1);
        if (!parts[0].strip().toLowerCase(Locale.ROOT).equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            if (name.equals("charset")) {
                String value = eq < 0 ? "" : p.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.equalsIgnoreCase("utf-8")) {
                    return false;
                }
            }
        }
        return true;
    }
}
