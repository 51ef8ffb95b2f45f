package dev.datasync.local.gateway;

import java.util.Map;
import java.util.Set;

/** What a {@link RouteGuard} decided about one request. */
public sealed interface Admission {

    /**
     * Let through. {@code consumed}: client headers (lower case) the gateway used or does not let through — the
     * credentials, and a caller's copy of a header only the gateway sets; {@code set}: headers the gateway adds
     * for the function, such as the verified source id.
     */
    record Admitted(Set<String> consumed, Map<String, String> set) implements Admission {
        public Admitted {
            consumed = Set.copyOf(consumed);
            set = Map.copyOf(set);
        }
    }

    /** Turned away before any function work, with {@code headers} on the answer (Retry-After, WWW-Authenticate). */
    record Refused(GatewayError error, Map<String, String> headers) implements Admission {
        public Refused {
            headers = Map.copyOf(headers);
        }
    }
}
