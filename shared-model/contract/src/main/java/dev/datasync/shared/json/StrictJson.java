package dev.datasync.shared.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;

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
        return parse(body, null);
    }

    /**
     * Like {@link #parse(byte[])}, with the value of every member named {@code exactField} kept as the exact text
     * the caller sent ({@link ExactJson}); it is checked like the rest of the body.
     */
    public static JsonNode parse(byte[] body, String exactField) throws MalformedBody {
        CharBuffer text;
        try {
            text = ExactJson.decodeStrictly(body);
        } catch (CharacterCodingException e) {
            throw new MalformedBody("the request body is not UTF-8 text");
        }
        if (text.hasRemaining() && text.get(text.position()) == '\uFEFF') {
            throw new MalformedBody("the request body starts with a byte order mark; send UTF-8 without one");
        }
        try {
            return ExactTreeReader.read(text.array(), text.arrayOffset() + text.position(), text.remaining(),
                    exactField, true);
        } catch (ExactTreeReader.LoneSurrogateException e) {
            throw new MalformedBody("the request body holds an unpaired surrogate escape (\\ud800-\\udfff)");
        } catch (IOException e) {
            throw new MalformedBody("the request body is not valid JSON");
        }
    }
}
