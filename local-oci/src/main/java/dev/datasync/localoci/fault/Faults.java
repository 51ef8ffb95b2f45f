package dev.datasync.localoci.fault;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.http.OciException;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Fault injection settings by operation name ({@code PutMessages}, {@code GetSecretBundleByName}, ...;
 * {@code "*"} applies to every operation without its own rule). Changed at run time through
 * {@link #replace}/{@link #set} or {@code PUT /_admin/faults}; read on every request.
 */
public final class Faults {
    public static final String ANY = "*";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private volatile Map<String, FaultRule> rules;

    public Faults(Map<String, FaultRule> initial) {
        this.rules = Map.copyOf(initial);
    }

    /**
     * Reads rules in the one JSON shape used everywhere ({@code PUT /_admin/faults}, {@code --faults FILE}):
     * {@code {"PutMessages":{"errorRate":0.5,"status":503,"latencyMs":20,"entryErrorRate":0.1},"*":{...}}}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Map<String, FaultRule> parse(byte[] json) {
        try {
            Map<String, FaultRule> rules = MAPPER.readValue(json, new TypeReference<Map<String, FaultRule>>() {});
            return rules == null ? Map.of() : rules;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("fault rules must be {\"<operation>\":{\"errorRate\":0..1,"
                    + "\"status\":429|500|503,\"latencyMs\":n,\"entryErrorRate\":0..1}}: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public Map<String, FaultRule> current() {
        return new TreeMap<>(rules);
    }

    public synchronized void replace(Map<String, FaultRule> newRules) {
        this.rules = Map.copyOf(newRules);
    }

    public synchronized void set(String operation, FaultRule rule) {
        Map<String, FaultRule> copy = new TreeMap<>(rules);
        if (rule == null) {
            copy.remove(operation);
        } else {
            copy.put(operation, rule);
        }
        this.rules = Map.copyOf(copy);
    }

    public void clear() {
        replace(Map.of());
    }

    public FaultRule ruleFor(String operation) {
        Map<String, FaultRule> snapshot = rules;
        FaultRule rule = snapshot.get(operation);
        return rule != null ? rule : snapshot.get(ANY);
    }

    /** Sleeps the configured latency, then throws the configured error with the configured probability. */
    public void apply(String operation) {
        FaultRule rule = ruleFor(operation);
        if (rule == null) {
            return;
        }
        long latency = rule.latencyOrZero();
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (rule.errorRateOrZero() > 0 && ThreadLocalRandom.current().nextDouble() < rule.errorRateOrZero()) {
            throw OciException.forStatus(rule.statusOrDefault(), "Injected fault for " + operation);
        }
    }

    /** PutMessages: whether this entry should fail inside an otherwise successful answer. */
    public boolean failEntry(String operation) {
        FaultRule rule = ruleFor(operation);
        return rule != null && rule.entryErrorRateOrZero() > 0
                && ThreadLocalRandom.current().nextDouble() < rule.entryErrorRateOrZero();
    }
}
