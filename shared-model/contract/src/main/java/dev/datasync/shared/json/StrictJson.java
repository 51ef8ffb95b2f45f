package dev.datasync.shared.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.CharArrayReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a request body that must be one JSON value in strict UTF-8 (RFC 8259), so what is stored is exactly what
 * the caller sent: malformed or overlong UTF-8 ({@code \xc0\xaf} is not '/'), UTF-8-encoded surrogates, UTF-16 and
 * UTF-32 bodies (with or without a byte order mark), a byte order mark, and unpaired surrogate escapes
 * ({@code "\ud800"}, which no UTF-8 text can hold) are refused instead of being decoded into something else.
 * ({@link Json#parse} alone would auto-detect UTF-16/32 and let a lone surrogate through.)
 */
public final class StrictJson {

    /** Why a body is not strict UTF-8 JSON; the message is our own wording, safe to show to the caller. */
    public static final class MalformedBody extends IOException {
        MalformedBody(String message) {
            super(message);
        }
    }

    private StrictJson() {
    }

    /** The JSON value of {@code body}; {@code MissingNode} for a body of whitespace only. */
    public static JsonNode parse(byte[] body) throws MalformedBody {
        CharBuffer text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new MalformedBody("the request body is not UTF-8 text");
        }
        if (text.hasRemaining() && text.get(text.position()) == '\uFEFF') {
            throw new MalformedBody("the request body starts with a byte order mark; send UTF-8 without one");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(new CharArrayReader(text.array(), text.arrayOffset() + text.position(),
                    text.remaining()));
        } catch (IOException e) {
            throw new MalformedBody("the request body is not valid JSON");
        }
        if (root != null && holdsLoneSurrogate(root)) {
            throw new MalformedBody("the request body holds an unpaired surrogate escape (\\ud800-\\udfff)");
        }
        return root;
    }

    /** Whether a string or field name anywhere in {@code root} holds a surrogate that is not half of a pair. */
    private static boolean holdsLoneSurrogate(JsonNode root) {
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode n = pending.pop();
            if (n.isTextual()) {
                if (hasLoneSurrogate(n.textValue())) {
                    return true;
                }
            } else if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (hasLoneSurrogate(e.getKey())) {
                        return true;
                    }
                    pending.push(e.getValue());
                }
            } else if (n.isArray()) {
                n.forEach(pending::push);
            }
        }
        return false;
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
