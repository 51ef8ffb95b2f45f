package dev.datasync.shared.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which error stream a failed delivery goes to. Selectors: exact status ({@code 404}), class ({@code 4xx}),
 * {@code network}, {@code timeout}, {@code invalid}, {@code circuitOpen}, {@code transformFailed}, {@code default}.
 * Exact code beats class beats default. Selectors are case-insensitive (stored lower case).
 * <p>
 * The four configured error streams give the base routes ({@code 400},{@code invalid}→unrecoverable,
 * {@code transformFailed}→unrecoverable, {@code 500}→internalserver,
 * {@code 503},{@code network},{@code timeout},{@code circuitOpen}→serviceUnavailable,
 * {@code default}→default); {@code error_routing} adds to or overrides them. Network failures, time-outs and an open
 * circuit breaker go to the serviceUnavailable stream: the target may well answer later, so a retry of that stream
 * can still deliver them.
 */
public record ErrorRouting(Map<String, String> routes) {

    private static final Pattern EXACT = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern CLASS = Pattern.compile("[1-5]xx");
    private static final String CIRCUIT_OPEN = FailureKind.CIRCUIT_OPEN.selector().toLowerCase(java.util.Locale.ROOT);
    private static final String TRANSFORM_FAILED = FailureKind.TRANSFORM_FAILED.selector()
            .toLowerCase(java.util.Locale.ROOT);

    public ErrorRouting {
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        if (!routes.containsKey("default")) {
            throw new IllegalArgumentException("routing needs a default route");
        }
    }

    /** The stream for a delivery answered with HTTP {@code status} (a failure: not 2xx). */
    public String streamForStatus(int status) {
        String exact = routes.get(Integer.toString(status));
        if (exact != null) {
            return exact;
        }
        String cls = routes.get((status / 100) + "xx");
        return cls != null ? cls : routes.get("default");
    }

    /** The stream for a failure without a status. */
    public String streamFor(FailureKind kind) {
        return routes.getOrDefault(kind.selector().toLowerCase(java.util.Locale.ROOT), routes.get("default"));
    }

    /**
     * These routes with delayed messages ({@link FailureKind#DELAYED}, not a failure and not an
     * {@code error_routing} selector) going to {@code stream}, a redriven stream.
     */
    public ErrorRouting withDelayedTo(String stream) {
        Map<String, String> all = new LinkedHashMap<>(routes);
        all.put(FailureKind.DELAYED.selector().toLowerCase(java.util.Locale.ROOT), stream);
        return new ErrorRouting(all);
    }

    public String defaultStream() {
        return routes.get("default");
    }

    static ErrorRouting parse(StreamIds streams, List<String> entries) {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("400", streams.unrecoverable());
        routes.put("invalid", streams.unrecoverable());
        routes.put(TRANSFORM_FAILED, streams.unrecoverable());
        routes.put("500", streams.internalServer());
        routes.put("503", streams.serviceUnavailable());
        routes.put("network", streams.serviceUnavailable());
        routes.put("timeout", streams.serviceUnavailable());
        routes.put(CIRCUIT_OPEN, streams.serviceUnavailable());
        routes.put("default", streams.defaultError());
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new ConfigException(ConfigKeys.ERROR_ROUTING, "'" + entry + "' is not selector=ocid");
            }
            String selector = entry.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
            String ocid = entry.substring(eq + 1).strip();
            if (!(EXACT.matcher(selector).matches() || CLASS.matcher(selector).matches()
                    || selector.equals("network") || selector.equals("timeout") || selector.equals("invalid")
                    || selector.equals(CIRCUIT_OPEN) || selector.equals(TRANSFORM_FAILED)
                    || selector.equals("default"))) {
                throw new ConfigException(ConfigKeys.ERROR_ROUTING, "unknown selector '" + selector
                        + "' (use a status like 404, a class like 4xx, network, timeout, invalid, circuitOpen,"
                        + " transformFailed or default)");
            }
            if (selector.startsWith("2")) {
                throw new ConfigException(ConfigKeys.ERROR_ROUTING, "'" + selector + "' is a success, not a failure");
            }
            ConfigValues.checkOcid(ConfigKeys.ERROR_ROUTING, ocid, "stream");
            routes.put(selector, ocid);
        }
        return new ErrorRouting(routes);
    }
}
