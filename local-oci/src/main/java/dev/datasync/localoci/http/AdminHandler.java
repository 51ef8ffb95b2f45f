package dev.datasync.localoci.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.datasync.localoci.auth.AdminSecret;
import dev.datasync.localoci.fault.FaultRule;
import dev.datasync.localoci.fault.Faults;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /_admin/*}: not part of OCI; for tests and the local stack. Loopback callers only, no request signature,
 * but every call must carry the emulator's {@link AdminSecret} in {@code X-LocalOci-Admin-Secret} (401
 * NotAuthenticated without it): loopback alone proves nothing, since a function delivering to a loopback target or
 * a web page in a local browser also calls from 127.0.0.1.
 * <ul>
 *   <li>{@code GET /_admin/resources} — names → OCIDs (same as {@code resources.json})</li>
 *   <li>{@code GET /_admin/faults} — current fault rules by operation</li>
 *   <li>{@code PUT /_admin/faults} — replace all rules, body {@code {"PutMessages":{"errorRate":0.5,"status":503}}}</li>
 *   <li>{@code GET /_admin/health} — {@code {"status":"UP"}}</li>
 * </ul>
 */
public final class AdminHandler {
    public static final String PREFIX = "/_admin/";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Supplier<Object> resources;
    private final Faults faults;
    private final AdminSecret secret;

    public AdminHandler(Supplier<Object> resources, Faults faults, AdminSecret secret) {
        this.resources = resources;
        this.faults = faults;
        this.secret = secret;
    }

    Response handle(HttpExchange exchange, String method, String rawPath, byte[] body) throws IOException {
        if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()) {
            throw new OciException(403, "NotAllowed", "Admin endpoints are for loopback callers only");
        }
        if (!secret.matches(exchange.getRequestHeaders().getFirst(AdminSecret.HEADER))) {
            throw new OciException(401, "NotAuthenticated", "Admin endpoints require the " + AdminSecret.HEADER
                    + " header with the secret in the data directory's " + AdminSecret.FILE_NAME + " file");
        }
        String what = rawPath.substring(PREFIX.length());
        return switch (method + " " + what) {
            case "GET resources" -> plain(200, resources.get());
            case "GET faults" -> plain(200, faults.current());
            case "PUT faults" -> {
                Map<String, FaultRule> rules;
                try {
                    rules = Faults.parse(body);
                } catch (IllegalArgumentException e) {
                    throw OciException.invalidParameter("Body: " + e.getMessage());
                }
                faults.replace(rules);
                yield plain(200, faults.current());
            }
            case "GET health" -> plain(200, Map.of("status", "UP"));
            default -> throw OciException.noRoute("No admin endpoint " + method + " " + rawPath);
        };
    }

    private static Response plain(int status, Object body) throws IOException {
        return Response.bytes(status, Response.JSON, MAPPER.writeValueAsBytes(body));
    }
}
