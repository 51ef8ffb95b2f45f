package dev.datasync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The oracle/oci provider's arguments for the resources and data sources the project uses
 * (src/test/resources/oci-provider-schema.json, copied from the provider source), plus every type name the
 * provider registers, so an unknown type can be told apart from one this file does not detail.
 */
public final class ProviderSchema {

    /** One argument or nested block. For blocks, {@code nested} holds the block's own arguments. */
    public record Arg(String name, String mode, String type, String nesting, int minItems, Integer maxItems,
                      Map<String, Arg> nested) {
        public boolean isBlock() {
            return "block".equals(type);
        }

        public boolean isRequired() {
            return "required".equals(mode);
        }

        public boolean isReadOnly() {
            return "computed".equals(mode);
        }
    }

    private final Set<String> resourceTypes;
    private final Set<String> dataSourceTypes;
    private final Map<String, Map<String, Arg>> resources;
    private final Map<String, Map<String, Arg>> dataSources;
    private final String version;

    private ProviderSchema(JsonNode root) {
        this.resourceTypes = names(root.get("all_resource_types"));
        this.dataSourceTypes = names(root.get("all_data_source_types"));
        this.resources = types(root.get("resources"));
        this.dataSources = types(root.get("data_sources"));
        this.version = root.path("_source").path("version").asText();
    }

    public static ProviderSchema load() throws IOException {
        try (InputStream in = ProviderSchema.class.getResourceAsStream("/oci-provider-schema.json")) {
            if (in == null) {
                throw new IOException("oci-provider-schema.json missing from the test class path");
            }
            return new ProviderSchema(new ObjectMapper().readTree(in));
        }
    }

    public String version() {
        return version;
    }

    public boolean isResourceType(String type) {
        return resourceTypes.contains(type);
    }

    public boolean isDataSourceType(String type) {
        return dataSourceTypes.contains(type);
    }

    public Optional<Map<String, Arg>> resource(String type) {
        return Optional.ofNullable(resources.get(type));
    }

    public Optional<Map<String, Arg>> dataSource(String type) {
        return Optional.ofNullable(dataSources.get(type));
    }

    private static Set<String> names(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, Map<String, Arg>> types(JsonNode node) {
        Map<String, Map<String, Arg>> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), args(e.getValue().get("args"))));
        return out;
    }

    private static Map<String, Arg> args(JsonNode args) {
        Map<String, Arg> out = new LinkedHashMap<>();
        if (args == null) {
            return out;
        }
        Iterator<Map.Entry<String, JsonNode>> it = args.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode a = e.getValue();
            Map<String, Arg> nested = "block".equals(a.path("type").asText()) ? args(a.get("args")) : Map.of();
            out.put(e.getKey(), new Arg(e.getKey(), a.path("mode").asText(), a.path("type").asText(),
                    a.path("nesting").asText(null), a.path("min_items").asInt(0),
                    a.hasNonNull("max_items") ? a.get("max_items").asInt() : null, nested));
        }
        return out;
    }
}
