package dev.datasync.localoci.monitoring;

import dev.datasync.localoci.http.OciException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of MQL the emulator answers: {@code name[interval]{dim = "value", ...}.statistic()}, the dimension filter
 * optional, the statistic one of sum, max, min, count, mean (avg). Intervals as in MQL: 1m-60m, 1h-24h, 1d. Anything
 * else (grouping, predicates, arithmetic, joins, other statistics) is refused with 400 InvalidParameter.
 */
record MqlQuery(String metric, Duration interval, Map<String, String> dimensions, Statistic statistic) {

    private static final Pattern QUERY = Pattern.compile(
            "\\s*([A-Za-z][A-Za-z0-9._\\-$]*)\\s*\\[\\s*([0-9]+)([mhd])\\s*]\\s*(?:\\{(.*)})?\\s*\\.\\s*([a-z]+)\\(\\s*\\)\\s*");
    private static final Pattern FILTER = Pattern.compile(
            "\\s*([\\x21-\\x7E&&[^=,{}\"]]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

    /** How the datapoints of one interval become one aggregated value. */
    enum Statistic {
        SUM, MAX, MIN, COUNT, MEAN;

        double apply(List<MetricRepository.Point> points) {
            return switch (this) {
                case SUM -> points.stream().mapToDouble(MetricRepository.Point::value).sum();
                case MAX -> points.stream().mapToDouble(MetricRepository.Point::value).max().orElseThrow();
                case MIN -> points.stream().mapToDouble(MetricRepository.Point::value).min().orElseThrow();
                case COUNT -> points.stream().mapToInt(MetricRepository.Point::count).sum();
                case MEAN -> points.stream().mapToDouble(MetricRepository.Point::value).average().orElseThrow();
            };
        }

        static Statistic named(String name) {
            return switch (name) {
                case "sum" -> SUM;
                case "max" -> MAX;
                case "min" -> MIN;
                case "count" -> COUNT;
                case "mean", "avg" -> MEAN;
                default -> throw unsupported("the statistic " + name + "() is not emulated (sum, max, min, count, mean)");
            };
        }
    }

    static MqlQuery parse(String query) {
        if (query == null || query.isBlank()) {
            throw OciException.missingParameter("query is required");
        }
        Matcher m = QUERY.matcher(query);
        if (!m.matches()) {
            throw unsupported("query '" + query + "' is not of the emulated form name[1m]{dim = \"value\"}.statistic()");
        }
        return new MqlQuery(m.group(1), interval(Integer.parseInt(m.group(2)), m.group(3)),
                m.group(4) == null ? Map.of() : filters(m.group(4)), Statistic.named(m.group(5)));
    }

    /** Whether a stream's dimensions pass the filter: every filtered key present with that value. */
    boolean matches(Map<String, String> streamDimensions) {
        return dimensions.entrySet().stream().allMatch(f -> f.getValue().equals(streamDimensions.get(f.getKey())));
    }

    static Duration interval(int amount, String unit) {
        boolean valid = switch (unit) {
            case "m" -> amount >= 1 && amount <= 60;
            case "h" -> amount >= 1 && amount <= 24;
            case "d" -> amount == 1;
            default -> false;
        };
        if (!valid) {
            throw OciException.invalidParameter("interval " + amount + unit + " is not one of 1m-60m, 1h-24h, 1d");
        }
        return switch (unit) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private static Map<String, String> filters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        Matcher f = FILTER.matcher(text);
        int at = 0;
        while (at < text.length() && f.find(at) && f.start() == at) {
            out.put(f.group(1), f.group(2).replaceAll("\\\\(.)", "$1"));
            at = f.end();
            if (f.group(3).isEmpty()) {
                break;
            }
        }
        if (at != text.length()) {
            throw unsupported("dimension filter '{" + text + "}' is not of the emulated form {dim = \"value\", ...}");
        }
        return out;
    }

    private static OciException unsupported(String message) {
        return OciException.invalidParameter(message);
    }
}
