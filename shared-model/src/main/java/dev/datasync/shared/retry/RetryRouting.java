package dev.datasync.shared.retry;

import dev.datasync.shared.delivery.Failure;
import dev.datasync.shared.routing.RouteSelector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes a replay's failures: the request's {@code errormapping} by exact status, then by class ({@code 5xx}), then
 * its {@code unexpectedError} entry (also for failures without a status), then the application's routing. (The
 * reference crashed after partial work when {@code unexpectedError} was missing.)
 */
public final class RetryRouting implements RouteSelector {

    private final Map<String, String> mapping = new HashMap<>();
    private final RouteSelector fallback;

    public RetryRouting(List<ErrorMapping> errormapping, RouteSelector fallback) {
        for (ErrorMapping m : errormapping) {
            mapping.put(m.responsecode().toLowerCase(java.util.Locale.ROOT), m.stream());
        }
        this.fallback = fallback;
    }

    @Override
    public String streamFor(Failure failure) {
        if (failure.status() != null) {
            String exact = mapping.get(Integer.toString(failure.status()));
            if (exact != null) {
                return exact;
            }
            String cls = mapping.get((failure.status() / 100) + "xx");
            if (cls != null) {
                return cls;
            }
        }
        String unexpected = mapping.get(ErrorMapping.UNEXPECTED_ERROR.toLowerCase(java.util.Locale.ROOT));
        return unexpected != null ? unexpected : fallback.streamFor(failure);
    }
}
