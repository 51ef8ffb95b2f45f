package dev.datasync.shared.contract;

/**
 * Idempotent ingest on {@code POST /stream/sync}: a source names a request with {@link #KEY}; a resend with the same
 * key and the same body within {@code idempotency_window} gets the first answer again, marked {@link #REPLAYED},
 * and writes nothing. Keys are the source's own: the same key from another source is another key.
 */
public final class IdempotencyHeaders {

    /** The request header naming the request. */
    public static final String KEY = "Idempotency-Key";
    /** The response header of an answer given again ({@code true}). */
    public static final String REPLAYED = "Idempotent-Replayed";
    /** The longest key, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    private IdempotencyHeaders() {
    }

    /** A key is 1 to {@link #MAX_KEY_LENGTH} printable US-ASCII characters (space to tilde). */
    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
