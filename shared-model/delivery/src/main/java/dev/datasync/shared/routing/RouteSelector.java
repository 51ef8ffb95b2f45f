package dev.datasync.shared.routing;

import dev.datasync.shared.config.ErrorRouting;
import dev.datasync.shared.delivery.internal.Failure;

/** Picks the error stream (OCID) for a failure. */
@FunctionalInterface
public interface RouteSelector {

    String streamFor(Failure failure);

    /** The application's routing ({@code error_routing} over the base routes of the four error streams). */
    static RouteSelector of(ErrorRouting routing) {
        return f -> f.status() != null ? routing.streamForStatus(f.status()) : routing.streamFor(f.kind());
    }
}
