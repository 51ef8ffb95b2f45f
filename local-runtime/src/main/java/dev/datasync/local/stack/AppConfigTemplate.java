package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.Resources;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code func-configs/local/app-config.json}: the application configuration the three functions get, with
 * names replaced by the OCIDs local-oci created and endpoints pointing at local-oci. The same keys Terraform sets
 * on OCI; only values differ. Placeholders: {@code ${stream|compartment|vault|key|bucket|topic:NAME}} (OCIDs),
 * {@code ${oci:baseUrl|port|region|namespace|configFile|profile}}, {@code ${gateway:port}} (the stack's own
 * listeners, which {@code target_denylist} keeps out of reach of deliveries), {@code ${env:VAR:default}}.
 */
public final class AppConfigTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z]+):([^}:]*)(?::([^}]*))?}");

    private AppConfigTemplate() {
    }

    public record OciEndpoint(String baseUrl, String region, Path configFile, String profile) {
        int port() {
            return java.net.URI.create(baseUrl).getPort();
        }
    }

    /** @param gatewayPort the port the stack's gateway listens on */
    public static Map<String, String> fill(Path template, Resources resources, OciEndpoint oci, int gatewayPort,
                                           Function<String, String> env) throws IOException {
        JsonNode root = new ObjectMapper().readTree(template.toFile());
        Map<String, String> config = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("_")) {
                continue;
            }
            config.put(e.getKey(), substitute(e.getKey(), e.getValue().asText(), resources, oci, gatewayPort, env));
        }
        return config;
    }

    private static String substitute(String key, String value, Resources r, OciEndpoint oci, int gatewayPort,
                                     Function<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = m.group(1);
            String name = m.group(2);
            String replacement = switch (kind) {
                case "stream" -> r.streams().get(name);
                case "compartment" -> r.compartments().get(name);
                case "vault" -> r.vaults().get(name);
                case "key" -> r.keys().get(name);
                case "bucket" -> r.buckets().get(name);
                case "topic" -> r.topics().get(name);
                case "oci" -> switch (name) {
                    case "baseUrl" -> oci.baseUrl();
                    case "port" -> Integer.toString(oci.port());
                    case "region" -> oci.region();
                    case "namespace" -> r.namespace();
                    case "configFile" -> oci.configFile().toAbsolutePath().toString();
                    case "profile" -> oci.profile();
                    default -> null;
                };
                case "gateway" -> name.equals("port") ? Integer.toString(gatewayPort) : null;
                case "env" -> {
                    // only an unset variable takes the default: set-but-empty means "empty", e.g. an empty
                    // DATASYNC_TARGET_ALLOWLIST is an empty target_allowlist, which refuses every target
                    String v = env.apply(name);
                    yield v == null ? (m.group(3) == null ? "" : m.group(3)) : v.trim();
                }
                default -> null;
            };
            if (replacement == null) {
                throw new IllegalStateException("app-config.json key " + key + ": " + m.group()
                        + " names nothing local-oci declared (check func-configs/local/oci-declaration.json)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
