package dev.datasync.deploy.coldstart;

import dev.datasync.shared.image.CdsTraining;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Main class of the child JVM of {@link PeakMemoryBenchmark}: the image's one-invocation FDK host
 * ({@code CdsTraining}), which exits when the function has answered, with a shutdown hook that then prints the
 * process's peak resident memory ({@code VmHWM} of {@code /proc/self/status}: the kernel's high-water mark, so no
 * peak between two samples is missed) as one line, {@code {"event":"peak_memory","vmHwmKb":…,"maxHeapMb":…}}.
 */
final class PeakMemoryHost {

    private PeakMemoryHost() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(PeakMemoryHost::report, "peak-memory"));
        CdsTraining.main(args);
    }

    private static void report() {
        try {
            // read first: nothing this hook does may count in the peak it reports
            String status = Files.readString(Path.of("/proc/self/status"));
            System.err.println("{\"event\":\"peak_memory\",\"vmHwmKb\":" + kilobytes(status, "VmHWM")
                    + ",\"vmRssKb\":" + kilobytes(status, "VmRSS")
                    + ",\"maxHeapMb\":" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + "}");
        } catch (IOException e) {
            System.err.println("{\"event\":\"peak_memory\",\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static long kilobytes(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        return -1;
    }
}
