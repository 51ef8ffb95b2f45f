package dev.datasync.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.model.BmcException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.datasync.local.gateway.Admission;
import dev.datasync.local.gateway.GatewayError;
import static dev.datasync.local.gateway.Exchanges.drain;
import static dev.datasync.local.gateway.Exchanges.error;
import static dev.datasync.local.gateway.Exchanges.send;
import dev.datasync.local.gateway.RouteGuard;
import dev.datasync.local.identity.LocalIdentityProvider;
import dev.datasync.local.log.RuntimeLog;
import dev.datasync.local.oci.LocalOciClients;
import dev.datasync.localoci.Resources;
import dev.datasync.shared.config.DataSyncConfig;
import dev.datasync.shared.log.JsonLog;
import dev.datasync.shared.oci.ObjectStorageStateObjects;
import dev.datasync.shared.oci.StateBucket;
import dev.datasync.shared.replay.ReplayMarks;
import dev.datasync.shared.json.Json;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /console/} on the gateway: the page and its scripts ({@link ConsoleAssets}, readable by anyone: they hold
 * no data) and its data under {@code /console/api/}, which answers only a request bearing the admin token in
 * {@code X-DataSync-Admin-Token} (the {@code /stream/retry} guard; 401 JSON otherwise), like the admin routes.
 * <ul>
 *   <li>{@code GET /console/api/metrics?query=MQL[&minutes=60][&resolution=1m]}: SummarizeMetricsData;</li>
 *   <li>{@code GET /console/api/streams}: every stream's counts; {@code GET /console/api/stream?name=N}: one
 *   stream's counts and newest messages;</li>
 *   <li>{@code GET /console/api/sources}: the sources.</li>
 * </ul>
 * Every answer forbids caching and framing and carries a Content-Security-Policy that allows scripts, styles and
 * requests to this origin only.
 */
public final class ConsoleHandler implements HttpHandler {

    public static final String PREFIX = "/console";
    private static final String API = PREFIX + "/api/";
    private static final RuntimeLog LOG = RuntimeLog.of("console");
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY",
            "Cache-Control", "no-store");

    private final ConsoleAssets assets;
    private final ConsoleData data;
    private final RouteGuard guard;

    public ConsoleHandler(ConsoleAssets assets, ConsoleData data, RouteGuard guard) {
        this.assets = assets;
        this.data = data;
        this.guard = guard;
    }

    /** The stack's console: its local-oci, its streams, its state bucket's replay marks, its sources. */
    public static ConsoleHandler create(DataSyncConfig config, LocalOciClients clients, Resources resources,
                                        LocalIdentityProvider identity, RouteGuard guard) {
        ReplayMarks marks = new ReplayMarks(new ObjectStorageStateObjects(
                new StateBucket(clients::objectStorage, config.state())), JsonLog.stderr().component("console"));
        return new ConsoleHandler(ConsoleAssets.load(), new ConsoleData(clients, resources.streams(),
                config.metrics().compartmentOcid(), marks, identity), guard);
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            drain(ex);
            SECURITY_HEADERS.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                error(ex, new GatewayError(405, "MethodNotAllowed", "the console answers GET only", null, null));
                return;
            }
            if (path.equals(PREFIX)) {
                ex.getResponseHeaders().set("Location", PREFIX + "/");
                ex.sendResponseHeaders(308, -1);
                return;
            }
            if (path.startsWith(API)) {
                api(ex, path.substring(API.length()));
                return;
            }
            Optional<ConsoleAssets.Asset> asset = assets.find(path.substring(PREFIX.length()));
            if (asset.isEmpty()) {
                error(ex, new GatewayError(404, "NotFound", "no such page: " + path, null, null));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", asset.get().contentType());
            send(ex, 200, asset.get().bytes());
        } catch (RuntimeException e) {
            LOG.error("console_failed", "code", e.getClass().getSimpleName());
            error(ex, new GatewayError(500, "InternalError", "the console could not answer", null, null));
        }
    }

    private void api(HttpExchange ex, String route) throws IOException {
        Admission admission = guard.admit(ex.getRequestHeaders());
        if (admission instanceof Admission.Refused refused) {
            refused.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            error(ex, refused.error());
            return;
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        try {
            JsonNode answer = switch (route) {
                case "metrics" -> metrics(query);
                case "streams" -> data.streams();
                case "stream" -> data.stream(query.getOrDefault("name", "")).orElse(null);
                case "sources" -> data.sources();
                default -> null;
            };
            if (answer == null) {
                error(ex, route.equals("stream")
                        ? new GatewayError(404, "NotFound", "no such stream", "name", null)
                        : new GatewayError(404, "NotFound", "no such console route: " + route, null, null));
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "application/json");
            send(ex, 200, Json.mapper().writeValueAsBytes(answer));
        } catch (BadQuery e) {
            error(ex, new GatewayError(400, "InvalidParameter", e.getMessage(), e.field, null));
        } catch (BmcException e) {
            boolean refused = e.getStatusCode() == 400;
            LOG.warn("console_oci_failed", "status", e.getStatusCode(), "code", e.getServiceCode());
            error(ex, refused ? new GatewayError(400, "InvalidParameter", "Monitoring refused the query: "
                    + e.getServiceCode(), "query", null)
                    : new GatewayError(503, "ServiceUnavailable", "local-oci answered " + e.getStatusCode(), null,
                    null));
        }
    }

    private JsonNode metrics(Map<String, String> query) {
        String mql = query.get("query");
        if (mql == null || mql.isBlank()) {
            throw new BadQuery("query is required (MQL, e.g. sync.delivered[1m].grouping().sum())", "query");
        }
        long minutes;
        try {
            minutes = Long.parseLong(query.getOrDefault("minutes", "60"));
        } catch (NumberFormatException e) {
            throw new BadQuery("minutes must be a whole number", "minutes");
        }
        if (minutes < 1 || minutes > ConsoleData.MAX_RANGE.toMinutes()) {
            throw new BadQuery("minutes must be 1 to " + ConsoleData.MAX_RANGE.toMinutes(), "minutes");
        }
        return data.metrics(mql, Duration.ofMinutes(minutes), query.get("resolution"));
    }

    /** A console request the console refuses: 400 naming the parameter. */
    private static final class BadQuery extends RuntimeException {
        final String field;

        BadQuery(String message, String field) {
            super(message);
            this.field = field;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }
}
