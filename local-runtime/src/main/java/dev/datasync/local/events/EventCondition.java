package dev.datasync.local.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether an event matches an OCI Events rule condition, by the documented filter rules: the condition is a JSON
 * object; the event must contain every field it names, with the same nesting (fields it does not name are ignored,
 * {@code {}} matches every event); an array of values matches when any of them does; a value may hold {@code *}
 * wildcards anywhere ({@code "*"} alone matches any value that is not null), and {@code .} has no special meaning.
 */
public final class EventCondition {

    private EventCondition() {
    }

    public static boolean matches(JsonNode condition, JsonNode event) {
        if (condition == null || !condition.isObject()) {
            throw new IllegalArgumentException("a rule condition is a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = condition.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = event == null ? null : event.get(field.getKey());
            if (value == null || !matchesValue(field.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesValue(JsonNode wanted, JsonNode value) {
        if (wanted.isObject()) {
            return value.isObject() && matches(wanted, value);
        }
        if (wanted.isArray()) {
            for (JsonNode alternative : wanted) {
                if (matchesValue(alternative, value)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isNull() || value.isContainerNode()) {
            return false;
        }
        return wildcard(wanted.asText()).matcher(value.asText()).matches();
    }

    private static Pattern wildcard(String pattern) {
        return Pattern.compile(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")), Pattern.DOTALL);
    }
}
