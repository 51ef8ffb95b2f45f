package dev.datasync.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.local.fnhost.FunctionInvoker;

/**
 * An OCI Events rule with one action: events matching {@code condition} ({@link EventCondition}) invoke the function
 * (action type FAAS) with the event as the body.
 */
public record EventsRule(String name, JsonNode condition, FunctionInvoker function) {

    public EventsRule {
        if (condition == null || !condition.isObject()) {
            throw new IllegalArgumentException("rule " + name + ": the condition must be a JSON object");
        }
    }

    public boolean matches(JsonNode event) {
        return EventCondition.matches(condition, event);
    }
}
