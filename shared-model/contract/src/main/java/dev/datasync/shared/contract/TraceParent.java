package dev.datasync.shared.contract;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/#traceparent-header):
 * {@code 00-<trace-id: 32 hex>-<parent-id: 16 hex>-<flags: 2 hex>}, lower case. The one place that reads, starts and
 * continues one. A message keeps the traceparent it was accepted with ({@link StreamMessage#TRACEPARENT}): the
 * caller's when {@code POST /stream/sync} carried a valid one, else one started for it; every call to its target
 * carries the same trace id with a span id of its own ({@link #nextSpan}).
 */
public record TraceParent(String traceId, String parentId, String flags) {

    /** The HTTP header, as W3C spells it (header names are case-insensitive). */
    public static final String HEADER = "traceparent";

    private static final Pattern VERSION = Pattern.compile("[0-9a-f]{2}");
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern PARENT_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern FLAGS = Pattern.compile("[0-9a-f]{2}");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    /** The flags of a trace started here: sampled, so a target that traces records its side of it. */
    private static final String STARTED_FLAGS = "01";

    public TraceParent {
        if (traceId == null || !TRACE_ID.matcher(traceId).matches() || traceId.equals(ZERO_TRACE)) {
            throw new IllegalArgumentException("trace-id must be 32 lower-case hex digits, not all zero");
        }
        if (parentId == null || !PARENT_ID.matcher(parentId).matches() || parentId.equals(ZERO_SPAN)) {
            throw new IllegalArgumentException("parent-id must be 16 lower-case hex digits, not all zero");
        }
        if (flags == null || !FLAGS.matcher(flags).matches()) {
            throw new IllegalArgumentException("trace-flags must be 2 lower-case hex digits");
        }
    }

    /**
     * The header's value read as W3C says a receiver must: empty for anything invalid (which is then ignored, and a
     * new trace started). Version {@code ff} is invalid; a version above {@code 00} may carry more fields after the
     * four, which are dropped (this is written back as version 00).
     */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String v = header.trim();
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return Optional.empty();
        }
        String version = v.substring(0, 2);
        if (!VERSION.matcher(version).matches() || version.equals("ff")) {
            return Optional.empty();
        }
        if (version.equals("00") ? v.length() != 55 : v.length() > 55 && v.charAt(55) != '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(new TraceParent(v.substring(3, 35), v.substring(36, 52), v.substring(53, 55)));
        } catch (IllegalArgumentException invalid) {
            return Optional.empty(); // upper-case hex, all-zero ids, non-hex flags
        }
    }

    /** A new trace: random trace id and span id. */
    public static TraceParent start() {
        String trace;
        do {
            trace = randomHex(16);
        } while (trace.equals(ZERO_TRACE));
        return new TraceParent(trace, randomSpanId(), STARTED_FLAGS);
    }

    /** The caller's traceparent when valid, else a new trace. */
    public static TraceParent continueOrStart(String header) {
        return parse(header).orElseGet(TraceParent::start);
    }

    /** The same trace with a new span id: what one call to a target carries. */
    public TraceParent nextSpan() {
        return new TraceParent(traceId, randomSpanId(), flags);
    }

    /** The header value: {@code 00-<trace-id>-<parent-id>-<flags>}. */
    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    @Override
    public String toString() {
        return header();
    }

    private static String randomSpanId() {
        String span;
        do {
            span = randomHex(8);
        } while (span.equals(ZERO_SPAN));
        return span;
    }

    private static String randomHex(int bytes) {
        // ThreadLocalRandom: ids must be random and unique, not secret; no lock shared by the delivery threads
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT);
    }
}
