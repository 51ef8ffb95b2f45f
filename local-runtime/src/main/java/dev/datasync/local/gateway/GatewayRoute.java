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
}
