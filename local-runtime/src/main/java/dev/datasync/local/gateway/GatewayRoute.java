package dev.datasync.local.gateway;

import dev.datasync.local.fnhost.FunctionInvoker;

import java.util.Objects;

/**
 * One route of the API deployment: method + path → function back end, as the Terraform
 * {@code oci_apigateway_deployment} declares it. {@code adminOnly} routes require the admin bearer token (the
 * deployment's authentication policy); the token is checked here and not passed to the function.
 */
public record GatewayRoute(String method, String path, FunctionInvoker backend, boolean adminOnly) {
    public GatewayRoute {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        Objects.requireNonNull(backend);
    }
}
