package dev.datasync.localoci.fault;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Fault injection for one operation.
 *
 * @param errorRate      0..1: share of calls answered with {@code status} instead of being served
 * @param status         429, 500 or 503 (any 4xx/5xx is accepted)
 * @param latencyMs      added before the call is served (or failed)
 * @param entryErrorRate PutMessages only, 0..1: share of ENTRIES that fail inside a 200 answer
 *                       ({@code failures > 0}, entry {@code error=InternalServerError}), as OCI may answer
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultRule(Double errorRate, Integer status, Long latencyMs, Double entryErrorRate) {

    public FaultRule {
        check("errorRate", errorRate);
        check("entryErrorRate", entryErrorRate);
        if (status != null && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be 4xx or 5xx");
        }
        if (latencyMs != null && latencyMs < 0) {
            throw new IllegalArgumentException("latencyMs must be >= 0");
        }
    }

    public static FaultRule failing(double errorRate, int status) {
        return new FaultRule(errorRate, status, null, null);
    }

    public static FaultRule latency(long latencyMs) {
        return new FaultRule(null, null, latencyMs, null);
    }

    public double errorRateOrZero() { return errorRate == null ? 0 : errorRate; }
    public int statusOrDefault() { return status == null ? 500 : status; }
    public long latencyOrZero() { return latencyMs == null ? 0 : latencyMs; }
    public double entryErrorRateOrZero() { return entryErrorRate == null ? 0 : entryErrorRate; }

    private static void check(String name, Double rate) {
        if (rate != null && (rate < 0 || rate > 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1");
        }
    }
}
