package dev.datasync.shared.redrive;

import java.util.List;

/** What a redrive pass did, per redriven stream: the redrive mode's answer ({@code {"mode":"redrive","streams"}}). */
public record RedriveReport(String mode, List<RedriveTotals> streams) {

    public RedriveReport {
        streams = List.copyOf(streams);
    }

    public static RedriveReport of(List<RedriveTotals> streams) {
        return new RedriveReport("redrive", streams);
    }

    /** Whether every stream was read (or left to the instance that holds it) and its messages placed. */
    public boolean ok() {
        return streams.stream().allMatch(RedriveTotals::ok);
    }
}
