package dev.datasync.local.gateway;

import com.sun.net.httpserver.Headers;
import dev.datasync.shared.contract.SourceHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin routes' policy ({@code /stream/retry}, {@code /admin/trace/{syncId}}, {@code /admin/status}): the admin token in {@code X-DataSync-Admin-Token} (as on OCI; {@code Bearer }
 * before it is accepted too) or, for existing clients, {@code Authorization: Bearer <admin token>}. Compared in
 * constant time; never passed to the function. A source credential is no admin credential: a request that brings
 * only one is told so. A caller's {@code X-DataSync-Source-Id} is dropped: a source id reaches a function only from
 * the sync route's verification.
 */
public final class AdminCredentialGuard implements RouteGuard {

    private static final Set<String> CONSUMED = Set.of("authorization",
            SourceHeaders.ADMIN_TOKEN.toLowerCase(Locale.ROOT), SourceHeaders.SOURCE_TOKEN.toLowerCase(Locale.ROOT),
            SourceHeaders.SOURCE_ID.toLowerCase(Locale.ROOT));

    private final byte[] adminToken;

    public AdminCredentialGuard(String adminToken) {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is required");
        }
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Admission admit(Headers request) {
        if (matches(request.getFirst(SourceHeaders.ADMIN_TOKEN)) || matches(request.getFirst("Authorization"))) {
            return new Admission.Admitted(CONSUMED, Map.of());
        }
        String message;
        if (request.containsKey(SourceHeaders.ADMIN_TOKEN) || request.containsKey("Authorization")) {
            message = "the admin token is not valid";
        } else if (request.containsKey(SourceHeaders.SOURCE_TOKEN)) {
            message = "a source credential is not accepted on an admin route: send the admin token in "
                    + SourceHeaders.ADMIN_TOKEN;
        } else {
            message = "this route requires the admin token in " + SourceHeaders.ADMIN_TOKEN;
        }
        return new Admission.Refused(GatewayError.unauthorized(SourceHeaders.ADMIN_TOKEN, message),
                Map.of("WWW-Authenticate", "Bearer"));
    }

    /** True when the value is the admin token, alone or after {@code Bearer }. */
    boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        String v = presented.trim();
        if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
            v = v.substring(7).trim();
        }
        return MessageDigest.isEqual(v.getBytes(StandardCharsets.UTF_8), adminToken);
    }
}
