package dev.datasync.localoci.monitoring;

import dev.datasync.localoci.http.OciException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Evaluates a parsed {@link MqlQuery} over the stored datapoints of {@code [start, end)}.
 * <ul>
 *   <li>A metric: its datapoints that pass the filters, by stream (distinct dimensions) — or, with
 *   {@code groupBy(d, ...)}, by those dimensions' values (a stream without one of them is left out), or, with
 *   {@code grouping()}, all in one result without dimensions. Each group gives one aggregated value per window
 *   that holds data: windows {@code interval} wide, starting every {@code resolution} (default: the interval), aligned
 *   to the epoch and stamped with their start.</li>
 *   <li>A datapoint's {@code count} is how many observations had its value: {@code count()} adds the counts,
 *   {@code sum()} adds value × count, {@code mean()} is sum / count, {@code percentile(p)} is the nearest-rank value
 *   over every observation, {@code rate()} the change per second between the window's first and last datapoints
 *   (0 for one).</li>
 *   <li>Arithmetic pairs results by dimensions (a single result pairs with any single result, as after
 *   {@code grouping()}) and datapoints by timestamp; a timestamp missing on either side gives no datapoint. A
 *   predicate keeps the datapoints for which it holds, and the results that keep any.</li>
 * </ul>
 */
final class MqlEvaluation {

    /** One result: its dimensions and values by window start (epoch millis). */
    record Series(Map<String, String> dimensions, TreeMap<Long, Double> values) {
    }

    private final Function<MqlQuery.Metric, List<MetricRepository.Point>> points;
    private final long start;
    private final long end;
    private final Long resolution;

    /**
     * @param points     a metric's stored datapoints of the range (before its filters)
     * @param resolution milliseconds between window starts; null: each metric's interval
     */
    MqlEvaluation(Function<MqlQuery.Metric, List<MetricRepository.Point>> points, long start, long end,
                  Long resolution) {
        this.points = points;
        this.start = start;
        this.end = end;
        this.resolution = resolution;
    }

    List<Series> evaluate(MqlQuery.Expr e) {
        if (e instanceof MqlQuery.Metric m) {
            return metric(m);
        }
        if (e instanceof MqlQuery.Predicate p) {
            List<Series> out = new ArrayList<>();
            for (Series s : evaluate(p.expr())) {
                TreeMap<Long, Double> kept = new TreeMap<>();
                s.values().forEach((t, v) -> {
                    if (p.holds(v)) {
                        kept.put(t, v);
                    }
                });
                if (!kept.isEmpty()) {
                    out.add(new Series(s.dimensions(), kept));
                }
            }
            return out;
        }
        if (e instanceof MqlQuery.Binary b) {
            return binary(b);
        }
        throw OciException.invalidParameter("a query needs at least one metric");
    }

    private List<Series> binary(MqlQuery.Binary b) {
        if (b.left() instanceof MqlQuery.Constant c) {
            return map(evaluate(b.right()), v -> apply(c.value(), b.op(), v));
        }
        if (b.right() instanceof MqlQuery.Constant c) {
            return map(evaluate(b.left()), v -> apply(v, b.op(), c.value()));
        }
        List<Series> left = evaluate(b.left());
        List<Series> right = evaluate(b.right());
        List<Series> out = new ArrayList<>();
        for (Series l : left) {
            for (Series r : right) {
                boolean pair = (left.size() == 1 && right.size() == 1) || l.dimensions().equals(r.dimensions());
                if (!pair) {
                    continue;
                }
                TreeMap<Long, Double> values = new TreeMap<>();
                l.values().forEach((t, v) -> {
                    Double w = r.values().get(t);
                    if (w != null) {
                        double x = apply(v, b.op(), w);
                        if (Double.isFinite(x)) {
                            values.put(t, x);
                        }
                    }
                });
                if (!values.isEmpty()) {
                    out.add(new Series(l.dimensions(), values));
                }
            }
        }
        return out;
    }

    private static List<Series> map(List<Series> in, java.util.function.DoubleUnaryOperator f) {
        List<Series> out = new ArrayList<>();
        for (Series s : in) {
            TreeMap<Long, Double> values = new TreeMap<>();
            s.values().forEach((t, v) -> {
                double x = f.applyAsDouble(v);
                if (Double.isFinite(x)) {
                    values.put(t, x);
                }
            });
            out.add(new Series(s.dimensions(), values));
        }
        return out;
    }

    private static double apply(double a, char op, double b) {
        return switch (op) {
            case '+' -> a + b;
            case '-' -> a - b;
            case '*' -> a * b;
            case '/' -> a / b;
            default -> a % b;
        };
    }

    private List<Series> metric(MqlQuery.Metric m) {
        Map<Map<String, String>, List<MetricRepository.Point>> groups = new LinkedHashMap<>();
        for (MetricRepository.Point p : points.apply(m)) {
            if (m.filters().stream().allMatch(f -> f.matches(p.dimensions()))) {
                Map<String, String> key = groupOf(m, p.dimensions());
                if (key != null) {
                    groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                }
            }
        }
        List<Series> out = new ArrayList<>();
        long width = m.interval().toMillis();
        long step = resolution == null ? width : resolution;
        groups.forEach((dimensions, inGroup) -> out.add(new Series(dimensions, windows(inGroup, width, step, m))));
        return out;
    }

    /** The result a datapoint belongs to; null when a groupBy dimension is missing. */
    private static Map<String, String> groupOf(MqlQuery.Metric m, Map<String, String> dimensions) {
        if (!m.grouped()) {
            return dimensions;
        }
        Map<String, String> key = new LinkedHashMap<>();
        if (m.groupBy() != null) {
            for (String d : m.groupBy()) {
                String v = dimensions.get(d);
                if (v == null) {
                    return null;
                }
                key.put(d, v);
            }
        }
        return key;
    }

    /** Windows {@code width} wide every {@code step}, inside [start, end), that hold data, oldest first. */
    private TreeMap<Long, Double> windows(List<MetricRepository.Point> points, long width, long step,
                                          MqlQuery.Metric m) {
        Map<Long, List<MetricRepository.Point>> byWindow = new TreeMap<>();
        for (MetricRepository.Point p : points) {
            long t = p.timestampMillis();
            // every window start s (a multiple of step) with s <= t < s + width
            for (long s = Math.floorDiv(t, step) * step; s > t - width; s -= step) {
                if (s + width > start && s < end) {
                    byWindow.computeIfAbsent(s, k -> new ArrayList<>()).add(p);
                }
            }
        }
        TreeMap<Long, Double> out = new TreeMap<>();
        byWindow.forEach((s, inWindow) -> out.put(s, statistic(m.statistic(), inWindow)));
        return out;
    }

    static double statistic(MqlQuery.Statistic s, List<MetricRepository.Point> points) {
        return switch (s.name()) {
            case "sum" -> points.stream().mapToDouble(p -> p.value() * p.count()).sum();
            case "count" -> points.stream().mapToLong(MetricRepository.Point::count).sum();
            case "max" -> points.stream().mapToDouble(MetricRepository.Point::value).max().orElseThrow();
            case "min" -> points.stream().mapToDouble(MetricRepository.Point::value).min().orElseThrow();
            case "mean" -> points.stream().mapToDouble(p -> p.value() * p.count()).sum()
                    / points.stream().mapToLong(MetricRepository.Point::count).sum();
            case "rate" -> rate(points);
            default -> percentile(points, s.percentile());
        };
    }

    private static double rate(List<MetricRepository.Point> points) {
        List<MetricRepository.Point> byTime = new ArrayList<>(points);
        byTime.sort(Comparator.comparingLong(MetricRepository.Point::timestampMillis));
        MetricRepository.Point first = byTime.get(0);
        MetricRepository.Point last = byTime.get(byTime.size() - 1);
        long millis = last.timestampMillis() - first.timestampMillis();
        return millis == 0 ? 0 : (last.value() - first.value()) * 1000.0 / millis;
    }

    /** Nearest rank over every observation (a datapoint counts {@code count} times). */
    private static double percentile(List<MetricRepository.Point> points, double p) {
        List<MetricRepository.Point> byValue = new ArrayList<>(points);
        byValue.sort(Comparator.comparingDouble(MetricRepository.Point::value));
        long total = byValue.stream().mapToLong(MetricRepository.Point::count).sum();
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (MetricRepository.Point point : byValue) {
            seen += point.count();
            if (seen >= rank) {
                return point.value();
            }
        }
        return byValue.get(byValue.size() - 1).value();
    }
}
