package dev.datasync.shared.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.IOException;

/**
 * Builds the tree of one JSON text, keeping the value of every member named {@code exactField} as the slice of the
 * text it was parsed from (see {@link ExactJson}). Every token goes through the project's parser
 * ({@link Json#mapper()}: duplicate names refused, nesting depth bounded), the exact values included; only their
 * nodes are not built. A member named {@code exactField} inside an exact value is part of that value's text.
 */
final class ExactTreeReader {

    /** A string or member name holding a surrogate that is not half of a pair (strict reading only). */
    static final class LoneSurrogateException extends IOException {
        LoneSurrogateException() {
            super("an unpaired surrogate escape");
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonParser parser;
    private final char[] text;
    private final int offset;
    private final String exactField;
    private final boolean refuseLoneSurrogates;

    private ExactTreeReader(JsonParser parser, char[] text, int offset, String exactField,
                            boolean refuseLoneSurrogates) {
        this.parser = parser;
        this.text = text;
        this.offset = offset;
        this.exactField = exactField;
        this.refuseLoneSurrogates = refuseLoneSurrogates;
    }

    /**
     * The one JSON value of {@code text[offset, offset + length)}; {@code MissingNode} for whitespace only.
     *
     * @param exactField           the member name whose values are kept exact; null for none
     * @param refuseLoneSurrogates whether a string or name holding an unpaired surrogate is refused
     *                             ({@link LoneSurrogateException})
     * @throws IOException for anything that is not exactly one well-formed JSON value within the parser's limits
     */
    static JsonNode read(char[] text, int offset, int length, String exactField, boolean refuseLoneSurrogates)
            throws IOException {
        try (JsonParser parser = Json.mapper().getFactory().createParser(text, offset, length)) {
            ExactTreeReader reader = new ExactTreeReader(parser, text, offset, exactField, refuseLoneSurrogates);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode root = reader.value(first);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "more than one JSON value");
            }
            return root;
        }
    }

    private JsonNode value(JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
                    String name = checked(parser.currentName());
                    JsonToken v = parser.nextToken();
                    object.set(name, name.equals(exactField) ? exact(v) : value(v));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(t));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(checked(parser.getText()));
            case VALUE_NUMBER_INT:
                // the node types Jackson's own tree reader picks
                return switch (parser.getNumberType()) {
                    case INT -> NODES.numberNode(parser.getIntValue());
                    case LONG -> NODES.numberNode(parser.getLongValue());
                    default -> NODES.numberNode(parser.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(parser.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(parser, "unexpected " + token);
        }
    }

    /** The value starting at the current token as the exact text it was parsed from; JSON null stays null. */
    private JsonNode exact(JsonToken first) throws IOException {
        if (first == JsonToken.VALUE_NULL) {
            return NODES.nullNode();
        }
        int start = offset + (int) parser.currentTokenLocation().getCharOffset();
        if (first.isStructStart()) {
            for (int depth = 1; depth > 0; ) {
                JsonToken t = parser.nextToken();
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                } else if (refuseLoneSurrogates && t == JsonToken.FIELD_NAME) {
                    checked(parser.currentName());
                } else if (refuseLoneSurrogates && t == JsonToken.VALUE_STRING) {
                    checked(parser.getText());
                }
            }
        } else if (first == JsonToken.VALUE_STRING) {
            // reads the string to its closing quote, so the location below is past it
            checked(parser.getText());
        }
        int end = offset + (int) parser.currentLocation().getCharOffset();
        if (!bounds(first, start, end)) {
            // never the input's fault: the parser reported locations this class does not understand
            throw new IllegalStateException("the text of a " + first + " could not be located");
        }
        return NODES.rawValueNode(new RawValue(new String(text, start, end - start)));
    }

    /** Whether {@code [start, end)} begins and ends the way a value starting with {@code first} does. */
    private boolean bounds(JsonToken first, int start, int end) {
        if (start < offset || end <= start || end > text.length) {
            return false;
        }
        char open = text[start];
        char close = text[end - 1];
        return switch (first) {
            case START_OBJECT -> open == '{' && close == '}';
            case START_ARRAY -> open == '[' && close == ']';
            case VALUE_STRING -> open == '"' && close == '"' && end - start >= 2;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> (open == '-' || isDigit(open)) && isDigit(close);
            case VALUE_TRUE -> open == 't' && close == 'e';
            case VALUE_FALSE -> open == 'f' && close == 'e';
            default -> false;
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String checked(String s) throws LoneSurrogateException {
        if (refuseLoneSurrogates && hasLoneSurrogate(s)) {
            throw new LoneSurrogateException();
        }
        return s;
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
