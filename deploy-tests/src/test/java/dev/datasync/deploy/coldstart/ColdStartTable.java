package dev.datasync.deploy.coldstart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects the cold starts of each setup and prints their medians, with the ratio to the first setup. */
final class ColdStartTable {

    private final Map<String, List<FreshJvm.ColdStart>> runs = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    void add(JvmSetup setup, FreshJvm.ColdStart run) {
        runs.computeIfAbsent(setup.name(), k -> new ArrayList<>()).add(run);
    }

    void skipped(JvmSetup setup, String why) {
        notes.put(setup.name(), why);
    }

    int count() {
        return runs.values().stream().mapToInt(List::size).sum();
    }

    static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    String render() {
        StringBuilder out = new StringBuilder(String.format("%-62s %6s %6s %6s %7s %9s%n", "setup",
                "median", "min", "max", "ratio", "spawn-med"));
        Double baseline = null;
        for (Map.Entry<String, List<FreshJvm.ColdStart>> e : runs.entrySet()) {
            List<Long> sinceJvm = e.getValue().stream().map(FreshJvm.ColdStart::msSinceJvmStart).toList();
            List<Long> sinceSpawn = e.getValue().stream().map(FreshJvm.ColdStart::msSinceSpawn).toList();
            double median = median(sinceJvm);
            if (baseline == null) {
                baseline = median;
            }
            out.append(String.format("%-62s %6.0f %6d %6d %6.2fx %9.0f%n", e.getKey(), median,
                    sinceJvm.stream().min(Long::compare).orElseThrow(), sinceJvm.stream().max(Long::compare).orElseThrow(),
                    median / baseline, median(sinceSpawn)));
        }
        notes.forEach((setup, why) -> out.append(String.format("%-62s SKIPPED: %s%n", setup, why)));
        return out.toString();
    }
}
