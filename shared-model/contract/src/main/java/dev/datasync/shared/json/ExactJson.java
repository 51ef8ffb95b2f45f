package dev.datasync.shared.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON values that travel as the exact text they arrived in. Jackson's tree would rewrite them: a number becomes a
 * double ({@code 12345678901234567.89} → {@code 1.2345678901234568E16}, {@code 1e400} → {@code "Infinity"},
 * {@code -0} → {@code 0}, {@code 2E+3} → {@code 2000.0}) and strings are escaped anew ({@code "\u00e9"} → {@code "é"}).
 * A data-sync tier must not change the data it carries, so the value of a chosen member (the message's
 * {@code targetRestApiPayload}) is read as the slice of the input it was parsed from and kept in the tree as a node
 * holding a {@link RawValue}: writing the tree writes that slice unchanged ({@code writeRawValue}), and
 * {@link #bytes} gives it as the body to send. Numbers, escapes, key order and whitespace inside the value are kept.
 * <p>
 * The exact value is parsed in full all the same, so everything that bounds the input bounds it too: well-formed
 * JSON, the nesting depth, duplicate names, and (read by {@link StrictJson}) strict UTF-8 and paired surrogates.
 * JSON {@code null} stays a null node.
 */
public final class ExactJson {

    private ExactJson() {
    }

    /**
     * The tree of one JSON value in UTF-8 (a stored message, an error-stream envelope), with the value of every
     * member named {@code exactField} exact; {@code MissingNode} for whitespace only.
     *
     * @throws IOException for bytes that are not UTF-8 or not exactly one well-formed JSON value
     */
    public static JsonNode parse(byte[] utf8, String exactField) throws IOException {
        CharBuffer text = decodeStrictly(utf8);
        return ExactTreeReader.read(text.array(), text.arrayOffset() + text.position(), text.remaining(),
                exactField, false);
    }

    /** {@code utf8} as text; malformed, overlong or surrogate-encoding UTF-8 is refused, never replaced. */
    static CharBuffer decodeStrictly(byte[] utf8) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(utf8));
    }

    /** Whether {@code node} is a value kept as its exact text. */
    public static boolean isExact(JsonNode node) {
        return node instanceof POJONode pojo && pojo.getPojo() instanceof RawValue;
    }

    /** The JSON text of {@code node}: the exact text it arrived in when it is exact, else Jackson's writing. */
    public static String text(JsonNode node) {
        return isExact(node) ? rawText(node) : Json.toText(node);
    }

    /** {@link #text} in UTF-8: for an exact value, the bytes it arrived in. */
    public static byte[] bytes(JsonNode node) {
        return isExact(node) ? rawText(node).getBytes(StandardCharsets.UTF_8) : Json.toBytes(node);
    }

    private static String rawText(JsonNode node) {
        return String.valueOf(((RawValue) ((POJONode) node).getPojo()).rawValue());
    }
}
