package dev.datasync.localoci.http;

import java.util.List;

/**
 * Which headers a request must have signed, as the OCI SDK signs them (reference §6.2).
 * STANDARD: GET/HEAD/DELETE sign {@code date (request-target) host}; POST/PUT/PATCH also
 * {@code content-length content-type x-content-sha256}. EXCLUDE_BODY (PutMessages, PutObject): only the three.
 */
public enum SigningStrategy {
    STANDARD,
    EXCLUDE_BODY;

    private static final List<String> BASIC = List.of("date", "(request-target)", "host");
    private static final List<String> WITH_BODY =
            List.of("date", "(request-target)", "host", "content-length", "content-type", "x-content-sha256");

    public List<String> requiredHeaders(String method) {
        boolean bodyMethod = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        return this == STANDARD && bodyMethod ? WITH_BODY : BASIC;
    }
}
