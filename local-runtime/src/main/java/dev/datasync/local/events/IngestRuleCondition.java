package dev.datasync.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The condition of the bulk-ingest Events rule, from the template Terraform renders for OCI
 * ({@code func-configs/ingest-events-condition.json.tftpl}, {@code templatefile()}): the same file, filled the same
 * way, so the local rule is the cloud rule. The template may use only {@code ${jsonencode(name)}} with the names
 * given here; anything else stops the stack at start.
 */
public final class IngestRuleCondition {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern JSONENCODE = Pattern.compile("jsonencode\\(([a-z_]+)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private IngestRuleCondition() {
    }

    /** @param values the template variables: {@code bucket_name}, {@code namespace}, {@code object_name_pattern} */
    public static JsonNode render(Path template, Map<String, String> values) throws IOException {
        Matcher m = PLACEHOLDER.matcher(Files.readString(template));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Matcher call = JSONENCODE.matcher(m.group(1).strip());
            if (!call.matches() || !values.containsKey(call.group(1))) {
                throw new IllegalStateException(template + ": ${" + m.group(1) + "} is not ${jsonencode(name)} of "
                        + values.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(JSON.writeValueAsString(values.get(call.group(1)))));
        }
        m.appendTail(out);
        return JSON.readTree(out.toString());
    }
}
