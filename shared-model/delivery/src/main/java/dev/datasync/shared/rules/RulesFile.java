package dev.datasync.shared.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.json.StrictJson;

import java.util.Iterator;

/**
 * A source's rules as stored in the state bucket ({@code rules/<source id>.json}, {@link #objectName}) and as a
 * user writes them: {@code {"filter": "<expr>", "transform": "<expr>"}}, JSONata expressions, either one may be
 * missing (not both). Nothing else is allowed in the object, so a misspelt field is refused instead of ignored.
 */
public record RulesFile(String filter, String transform) {

    public static final String FILTER = "filter";
    public static final String TRANSFORM = "transform";
    private static final String PREFIX = "rules/";

    /** Where the rules of {@code sourceId} live in the state bucket. */
    public static String objectName(String sourceId) {
        return PREFIX + sourceId + ".json";
    }

    /** Reads a rules file; @throws RulesException naming what is wrong with it (compiling is {@link CompiledRules}). */
    public static RulesFile parse(byte[] body) throws RulesException {
        JsonNode node;
        try {
            node = StrictJson.parse(body);
        } catch (StrictJson.MalformedBody e) {
            throw RulesException.ofFile("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw RulesException.ofFile("must be a JSON object {\"filter\": \"<expr>\", \"transform\": \"<expr>\"}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals(FILTER) && !name.equals(TRANSFORM)) {
                throw RulesException.ofFile("unknown field \"" + name + "\" (only \"filter\" and \"transform\")");
            }
        }
        String filter = expression(node, FILTER);
        String transform = expression(node, TRANSFORM);
        if (filter == null && transform == null) {
            throw RulesException.ofFile("has neither \"filter\" nor \"transform\" (to remove a source's rules, clear"
                    + " them)");
        }
        return new RulesFile(filter, transform);
    }

    private static String expression(JsonNode file, String field) throws RulesException {
        JsonNode v = file.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new RulesException(field, -1, null, "must be a non-empty string holding a JSONata expression");
        }
        return v.asText();
    }

    /** The object as stored: the fields present, nothing else. */
    public byte[] toBytes() {
        ObjectNode o = Json.mapper().createObjectNode();
        if (filter != null) {
            o.put(FILTER, filter);
        }
        if (transform != null) {
            o.put(TRANSFORM, transform);
        }
        return Json.toBytes(o);
    }
}
