package dev.datasync.localoci.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The table of OCI operations; services add their routes at start. */
public final class Router {
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    public Router add(String method, String template, String operation, SigningStrategy signing, Handler handler) {
        routes.add(new Route(method, template, operation, signing, handler, false));
        return this;
    }

    /**
     * A POST whose OCI API defines {@code opc-retry-token} (the SDK then sends one on every call and the same
     * one on its retries): a repeated token is answered with the first answer ({@link RetryTokens}).
     */
    public Router postWithRetryToken(String template, String operation, Handler handler) {
        routes.add(new Route("POST", template, operation, SigningStrategy.STANDARD, handler, true));
        return this;
    }

    public Router get(String template, String operation, Handler handler) {
        return add("GET", template, operation, SigningStrategy.STANDARD, handler);
    }

    public Router head(String template, String operation, Handler handler) {
        return add("HEAD", template, operation, SigningStrategy.STANDARD, handler);
    }

    public Router delete(String template, String operation, Handler handler) {
        return add("DELETE", template, operation, SigningStrategy.STANDARD, handler);
    }

    public Router post(String template, String operation, Handler handler) {
        return add("POST", template, operation, SigningStrategy.STANDARD, handler);
    }

    public Router put(String template, String operation, Handler handler) {
        return add("PUT", template, operation, SigningStrategy.STANDARD, handler);
    }

    /** A matched route with its decoded path parameters. */
    public record Match(Route route, Map<String, String> pathParams) {}

    /** The route for this request; 404 NotFound if no template fits, 405 if only the method differs. */
    public Match find(String method, String rawPath) {
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> params = route.match(rawPath);
            if (params != null) {
                if (route.method().equals(method)) {
                    return new Match(route, params);
                }
                pathKnown = true;
            }
        }
        if (pathKnown) {
            throw OciException.methodNotAllowed("Method " + method + " is not allowed on " + rawPath);
        }
        throw OciException.noRoute("No such operation: " + method + " " + rawPath);
    }
}
