package dev.datasync.local.gateway;

import dev.datasync.local.fnhost.FunctionInvoker;

import java.util.Objects;

/**
 * One route of the API deployment: method + path → function back end, as the Terraform
 * {@code oci_apigateway_deployment} declares it, with the deployment's authentication policy as its {@code guard}
 * (checked before the body is read or the function called).
 */
public record GatewayRoute(String method, String path, FunctionInvoker backend, RouteGuard guard) {
    public GatewayRoute {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        Objects.requireNonNull(backend);
        Objects.requireNonNull(guard);
    }

    /**
     * Whether a request path is this route's: the same path, or for a path ending in a parameter
     * ({@code /admin/trace/{syncId}}) the same prefix and one non-empty segment in its place.
     */
    public boolean matches(String requestPath) {
        int brace = path.indexOf('{');
        if (brace < 0 || !path.endsWith("}")) {
            return path.equals(requestPath);
        }
        String prefix = path.substring(0, brace);
        if (!requestPath.startsWith(prefix) || requestPath.length() == prefix.length()) {
            return false;
        }
        return requestPath.indexOf('/', prefix.length()) < 0;
    }
}
