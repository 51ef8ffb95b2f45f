package dev.datasync.shared.rules;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.ExactJson;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Between the project's JSON (Jackson trees, the payload kept exact) and the plain Java values JSONata evaluates
 * (maps, lists, strings, numbers, booleans, null). Decimal numbers enter as {@link BigDecimal}, so a transform that
 * passes {@code 12345678901234567.89} on sends those digits; numbers JSONata computed leave as JSON numbers.
 */
final class JsonValues {

    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private JsonValues() {
    }

    /** A value of a stored message (the payload may be an exact node) as JSONata input. */
    static Object toJava(JsonNode node) throws IOException {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        byte[] text = ExactJson.isExact(node) ? ExactJson.bytes(node) : Json.toBytes(node);
        return READER.readValue(text, Object.class);
    }

    /** Thrown when a transform's value is not JSON (a function, a number JSON cannot write). */
    static final class NotJson extends Exception {
        NotJson(String message) {
            super(message);
        }
    }

    /** A value JSONata computed, as a Jackson tree. */
    static JsonNode toNode(Object value) throws NotJson {
        if (value == null || value == Jsonata.NULL_VALUE) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return NODES.numberNode(i);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new NotJson("a number JSON cannot hold (" + d + ")");
            }
            // JSONata's numbers are doubles: an integral one is written as an integer, as JSONata's own output does
            if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
                return NODES.numberNode((long) d);
            }
            return NODES.numberNode(d);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                o.set(String.valueOf(e.getKey()), toNode(e.getValue()));
            }
            return o;
        }
        if (value instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            for (Object item : list) {
                a.add(toNode(item));
            }
            return a;
        }
        throw new NotJson("a " + (value.getClass().getName().startsWith("com.dashjoin") ? "function"
                : value.getClass().getSimpleName()) + ", not a JSON value");
    }
}
