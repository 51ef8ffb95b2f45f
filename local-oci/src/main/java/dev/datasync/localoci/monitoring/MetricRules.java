package dev.datasync.localoci.monitoring;

import com.oracle.bmc.monitoring.model.Datapoint;
import com.oracle.bmc.monitoring.model.MetricDataDetails;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What PostMetricData accepts in one metric object (the SDK's MetricDataDetails and Datapoint documentation): the
 * namespace, name, resource group, dimensions and metadata patterns and sizes, and datapoint timestamps no older than
 * 2 hours and no more than 10 minutes ahead. A refused object is named by its first broken rule.
 */
final class MetricRules {

    /** "Maximum of 50 unique metric streams per call." */
    static final int MAX_STREAMS_PER_CALL = 50;
    static final int MAX_DIMENSIONS = 20;
    static final Duration OLDEST = Duration.ofHours(2);
    static final Duration NEWEST = Duration.ofMinutes(10);

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._\\-$]*");
    private static final Pattern DIMENSION_KEY = Pattern.compile("[\\x21-\\x7E]+");
    private static final int MAX_DIMENSION_KEY = 256;
    private static final int MAX_DIMENSION_VALUE = 512;
    private static final int MAX_METADATA = 256;

    private final Predicate<String> compartmentKnown;

    MetricRules(Predicate<String> compartmentKnown) {
        this.compartmentKnown = compartmentKnown;
    }

    /** Why the object is refused, or empty when it is accepted. */
    Optional<String> refusal(MetricDataDetails m, Instant now) {
        String namespace = m.getNamespace();
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            return Optional.of("namespace must start with a letter and contain only letters, digits and _");
        }
        String lower = namespace.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("oci_") || lower.startsWith("oracle_")) {
            return Optional.of("namespace may not start with the reserved prefixes oci_ or oracle_");
        }
        if (m.getCompartmentId() == null || !compartmentKnown.test(m.getCompartmentId())) {
            return Optional.of("compartmentId is missing or not a known compartment");
        }
        if (m.getName() == null || !NAME.matcher(m.getName()).matches()) {
            return Optional.of("name must start with a letter and contain only letters, digits, '.', '_', '-' and '$'");
        }
        if (m.getResourceGroup() != null && !NAME.matcher(m.getResourceGroup()).matches()) {
            return Optional.of("resourceGroup must start with a letter and contain only letters, digits, '.', '_',"
                    + " '-' and '$'");
        }
        Optional<String> dimensions = dimensionsRefusal(m.getDimensions());
        if (dimensions.isPresent()) {
            return dimensions;
        }
        if (m.getMetadata() != null) {
            for (Map.Entry<String, String> e : m.getMetadata().entrySet()) {
                if (e.getKey().length() > MAX_METADATA || e.getValue() == null || e.getValue().length() > MAX_METADATA) {
                    return Optional.of("metadata keys and values are at most " + MAX_METADATA + " characters");
                }
            }
        }
        if (m.getDatapoints() == null || m.getDatapoints().isEmpty()) {
            return Optional.of("datapoints must hold at least one datapoint");
        }
        for (Datapoint d : m.getDatapoints()) {
            Optional<String> point = datapointRefusal(d, now);
            if (point.isPresent()) {
                return point;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> dimensionsRefusal(Map<String, String> dimensions) {
        if (dimensions == null || dimensions.isEmpty() || dimensions.size() > MAX_DIMENSIONS) {
            return Optional.of("dimensions must hold 1 to " + MAX_DIMENSIONS + " key-value pairs");
        }
        for (Map.Entry<String, String> e : dimensions.entrySet()) {
            if (e.getKey().length() > MAX_DIMENSION_KEY || !DIMENSION_KEY.matcher(e.getKey()).matches()) {
                return Optional.of("dimension keys are printable ASCII without spaces, 1 to " + MAX_DIMENSION_KEY
                        + " characters");
            }
            if (e.getValue() == null || e.getValue().isEmpty() || e.getValue().length() > MAX_DIMENSION_VALUE) {
                return Optional.of("dimension values are 1 to " + MAX_DIMENSION_VALUE + " characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> datapointRefusal(Datapoint d, Instant now) {
        if (d.getTimestamp() == null || d.getValue() == null) {
            return Optional.of("every datapoint needs a timestamp and a value");
        }
        if (d.getValue().isNaN() || d.getValue().isInfinite()) {
            return Optional.of("datapoint values must be finite numbers");
        }
        Instant at = d.getTimestamp().toInstant();
        if (at.isBefore(now.minus(OLDEST)) || at.isAfter(now.plus(NEWEST))) {
            return Optional.of("datapoint timestamps must be less than 2 hours old and at most 10 minutes in the future");
        }
        if (d.getCount() != null && d.getCount() <= 0) {
            return Optional.of("datapoint count must be greater than 0");
        }
        return Optional.empty();
    }
}
