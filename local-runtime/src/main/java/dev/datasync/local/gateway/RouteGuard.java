package dev.datasync.local.gateway;

import com.sun.net.httpserver.Headers;

/**
 * Who may call a route: the deployment's authentication policy, checked on the request's headers before its body
 * is read or any function is called. {@link SourceCredentialGuard} on {@code /stream/sync},
 * {@link AdminCredentialGuard} on {@code /stream/retry}.
 */
public interface RouteGuard {

    Admission admit(Headers request);
}
