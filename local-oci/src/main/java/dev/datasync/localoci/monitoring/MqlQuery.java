package dev.datasync.localoci.monitoring;

import dev.datasync.localoci.http.OciException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The part of MQL the emulator answers, parsed into a tree:
 * <pre>
 * query     := sum [ ( &gt; | &gt;= | &lt; | &lt;= | == | != ) number ]        (a predicate keeps the datapoints it holds for)
 * sum       := product { ( + | - ) product }
 * product   := operand { ( * | / | % ) operand }
 * operand   := number | ( query ) | metric
 * metric    := name[interval] [ {filter, ...} ] { .groupBy(dim, ...) | .grouping() } .statistic() { .grouping() }
 * filter    := dim = "v" | dim != "v" | dim =~ "pattern"          (pattern: * matches anything, | separates choices)
 * statistic := sum() | count() | max() | min() | mean() | avg() | rate() | percentile(p), 0 &lt; p &lt; 1
 * </pre>
 * Intervals as in MQL: 1m-60m, 1h-24h, 1d. Anything else (joins with &amp;&amp; / ||, absent(), first(), last(),
 * increment(), {@code in} predicates, nested statistics) is refused with 400 InvalidParameter.
 */
final class MqlQuery {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._\\-$]*");
    private static final Pattern DIMENSION = Pattern.compile("[\\x21-\\x7E&&[^=!,{}\"()~]]+");

    /** A node of the query. */
    sealed interface Expr permits Metric, Constant, Binary, Predicate {
    }

    /** A number in the query. */
    record Constant(double value) implements Expr {
    }

    /** {@code left op right}, op one of + - * / %. */
    record Binary(Expr left, char op, Expr right) implements Expr {
    }

    /** {@code expr op threshold}: the datapoints for which it holds. */
    record Predicate(Expr expr, String op, double threshold) implements Expr {
        boolean holds(double v) {
            return switch (op) {
                case ">" -> v > threshold;
                case ">=" -> v >= threshold;
                case "<" -> v < threshold;
                case "<=" -> v <= threshold;
                case "==" -> v == threshold;
                default -> v != threshold;
            };
        }
    }

    /**
     * One metric's streams, filtered, grouped ({@code groupBy}: by those dimensions; {@code grouping}: all into one,
     * {@code groupBy} null and {@code grouped} true) and aggregated per interval by the statistic.
     */
    record Metric(String name, Duration interval, List<Filter> filters, List<String> groupBy, boolean grouped,
                  Statistic statistic) implements Expr {
    }

    /** A dimension filter: {@code =}, {@code !=} or {@code =~} (wildcards {@code *}, choices {@code |}). */
    record Filter(String dimension, String op, String value) {
        boolean matches(java.util.Map<String, String> dimensions) {
            String v = dimensions.get(dimension);
            return switch (op) {
                case "=" -> value.equals(v);
                case "!=" -> !value.equals(v);
                default -> v != null && wildcard(value).matcher(v).matches();
            };
        }

        private static Pattern wildcard(String pattern) {
            StringBuilder regex = new StringBuilder();
            for (String choice : pattern.split("\\|", -1)) {
                if (!regex.isEmpty()) {
                    regex.append('|');
                }
                regex.append("(?:");
                for (String part : choice.split("\\*", -1)) {
                    regex.append(Pattern.quote(part)).append(".*");
                }
                regex.setLength(regex.length() - 2);
                regex.append(')');
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }

    /** How the datapoints of one interval (each with its {@code count}) become one value. */
    record Statistic(String name, double percentile) {
        static Statistic named(String name, Double argument) {
            String n = name.toLowerCase(Locale.ROOT);
            boolean known = switch (n) {
                case "sum", "count", "max", "min", "mean", "avg", "rate" -> argument == null;
                case "percentile" -> argument != null;
                default -> false;
            };
            if (!known) {
                throw unsupported("the statistic " + name + "(" + (argument == null ? "" : argument) + ") is not "
                        + "emulated (sum, count, max, min, mean, avg, rate, percentile(p))");
            }
            if (n.equals("percentile") && !(argument > 0 && argument < 1)) {
                throw OciException.invalidParameter("percentile(p) needs 0 < p < 1, not " + argument);
            }
            return new Statistic(n.equals("avg") ? "mean" : n, argument == null ? 0 : argument);
        }
    }

    private final String text;
    private int at;

    private MqlQuery(String text) {
        this.text = text;
    }

    static Expr parse(String query) {
        if (query == null || query.isBlank()) {
            throw OciException.missingParameter("query is required");
        }
        MqlQuery p = new MqlQuery(query);
        Expr e = p.query();
        p.space();
        if (p.at != query.length()) {
            throw unsupported("query '" + query + "' could not be read from position " + p.at
                    + " (the emulated MQL: metric[interval]{filters}.groupBy(dims)|grouping().statistic(), arithmetic,"
                    + " one predicate)");
        }
        return e;
    }

    /** Every metric a query reads. */
    static List<Metric> metrics(Expr e) {
        List<Metric> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, List<Metric> out) {
        if (e instanceof Metric m) {
            out.add(m);
        } else if (e instanceof Binary b) {
            collect(b.left(), out);
            collect(b.right(), out);
        } else if (e instanceof Predicate p) {
            collect(p.expr(), out);
        }
    }

    private Expr query() {
        Expr e = sum();
        space();
        for (String op : List.of(">=", "<=", "==", "!=", ">", "<")) {
            if (text.startsWith(op, at)) {
                at += op.length();
                return new Predicate(e, op, number());
            }
        }
        return e;
    }

    private Expr sum() {
        Expr e = product();
        while (true) {
            space();
            if (peek('+') || peek('-')) {
                char op = text.charAt(at++);
                e = new Binary(e, op, product());
            } else {
                return e;
            }
        }
    }

    private Expr product() {
        Expr e = operand();
        while (true) {
            space();
            if (peek('*') || peek('/') || peek('%')) {
                char op = text.charAt(at++);
                e = new Binary(e, op, operand());
            } else {
                return e;
            }
        }
    }

    private Expr operand() {
        space();
        if (peek('(')) {
            at++;
            Expr e = query();
            expect(')');
            return e;
        }
        if (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            return new Constant(number());
        }
        return metric();
    }

    private Metric metric() {
        String name = match(NAME, "a metric name");
        expect('[');
        space();
        int amount = Integer.parseInt(match(Pattern.compile("[0-9]+"), "an interval"));
        String unit = match(Pattern.compile("[mhd]"), "an interval unit (m, h, d)");
        Duration interval = interval(amount, unit);
        expect(']');
        List<Filter> filters = new ArrayList<>();
        space();
        if (peek('{')) {
            at++;
            space();
            if (!peek('}')) {
                do {
                    filters.add(filter());
                    space();
                } while (consume(','));
            }
            expect('}');
        }
        List<String> groupBy = null;
        boolean grouped = false;
        Statistic statistic = null;
        while (consume('.')) {
            String call = match(Pattern.compile("[A-Za-z]+"), "a function");
            expect('(');
            space();
            if (call.equals("groupBy") || call.equals("grouping")) {
                if (grouped) {
                    throw unsupported("one grouping function per metric is emulated");
                }
                grouped = true;
                if (call.equals("groupBy")) {
                    groupBy = new ArrayList<>();
                    do {
                        space();
                        groupBy.add(match(DIMENSION, "a dimension name"));
                        space();
                    } while (consume(','));
                }
                expect(')');
            } else {
                if (statistic != null) {
                    throw unsupported("one statistic per metric is emulated");
                }
                Double argument = peek(')') ? null : number();
                expect(')');
                statistic = Statistic.named(call, argument);
            }
        }
        if (statistic == null) {
            throw unsupported("metric " + name + " has no statistic, e.g. " + name + "[1m].sum()");
        }
        return new Metric(name, interval, filters, groupBy, grouped, statistic);
    }

    private Filter filter() {
        space();
        String dimension = match(DIMENSION, "a dimension name");
        space();
        String op;
        if (text.startsWith("=~", at)) {
            op = "=~";
        } else if (text.startsWith("!=", at)) {
            op = "!=";
        } else if (text.startsWith("=", at)) {
            op = "=";
        } else {
            throw unsupported("dimension filter on " + dimension + " needs =, != or =~");
        }
        at += op.length();
        space();
        expect('"');
        StringBuilder value = new StringBuilder();
        while (at < text.length() && text.charAt(at) != '"') {
            char c = text.charAt(at++);
            if (c == '\\' && at < text.length()) {
                c = text.charAt(at++);
            }
            value.append(c);
        }
        expect('"');
        return new Filter(dimension, op, value.toString());
    }

    private double number() {
        space();
        String n = match(Pattern.compile("-?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?"), "a number");
        return Double.parseDouble(n);
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

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private boolean peek(char c) {
        return at < text.length() && text.charAt(at) == c;
    }

    private boolean consume(char c) {
        space();
        if (peek(c)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!consume(c)) {
            throw unsupported("query '" + text + "': expected '" + c + "' at position " + at);
        }
    }

    private String match(Pattern p, String what) {
        var m = p.matcher(text).region(at, text.length());
        if (!m.lookingAt()) {
            throw unsupported("query '" + text + "': expected " + what + " at position " + at);
        }
        at = m.end();
        return m.group();
    }

    private static OciException unsupported(String message) {
        return OciException.invalidParameter(message);
    }
}
