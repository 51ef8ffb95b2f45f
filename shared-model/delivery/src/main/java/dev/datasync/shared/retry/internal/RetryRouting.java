package dev.datasync.shared.retry.internal;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.routing.RouteSelector;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Routes a replay's failures by the request's {@code errormapping}, falling back to the application's routing
 * ({@code error_routing}):
 * <ul>
 * <li>an HTTP status: exact code, then class ({@code 5xx}), then {@code unexpectedError}, then the application;</li>
 * <li>network, time-out and circuit-open failures: only an explicit {@code network} / {@code timeout} /
 * {@code circuitOpen} entry, else the application's route (ServiceUnavailable by default). They are recoverable,
 * and callers commonly map {@code unexpectedError} to the unrecoverable stream, where a recoverable failure would
 * never be retried;</li>
 * <li>invalid messages: {@code invalid}, then {@code unexpectedError}, then the application.</li>
 * </ul>
 * Every entry is optional: a mapping without {@code unexpectedError} falls back to the application's routing, so
 * any mapping routes every failure somewhere.
 */
public final class RetryRouting implements RouteSelector {

    private final Map<String, String> mapping = new HashMap<>();
    private final RouteSelector fallback;

    public RetryRouting(List<ErrorMapping> errormapping, RouteSelector fallback) {
        for (ErrorMapping m : errormapping) {
            mapping.put(key(m.responsecode()), m.stream());
        }
        this.fallback = fallback;
    }

    @Override
    public String streamFor(Failure failure) {
        String unexpected = mapping.get(key(ErrorMapping.UNEXPECTED_ERROR));
        if (failure.status() != null) {
            String exact = mapping.get(Integer.toString(failure.status()));
            if (exact != null) {
                return exact;
            }
            String cls = mapping.get((failure.status() / 100) + "xx");
            if (cls != null) {
                return cls;
            }
            return unexpected != null ? unexpected : fallback.streamFor(failure);
        }
        String explicit = mapping.get(key(failure.kind().selector()));
        if (explicit != null) {
            return explicit;
        }
        if (failure.kind() == FailureKind.INVALID && unexpected != null) {
            return unexpected;
        }
        return fallback.streamFor(failure);
    }

    private static String key(String responsecode) {
        return responsecode.toLowerCase(Locale.ROOT);
    }
}
