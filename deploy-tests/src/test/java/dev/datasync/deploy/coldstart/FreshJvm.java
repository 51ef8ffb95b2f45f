package dev.datasync.deploy.coldstart;

import dev.datasync.shared.image.CdsTraining;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts new JVMs ({@code java} of the running JDK) and reads what they print. */
final class FreshJvm {

    /** How a finished JVM ended: exit code, wall time, and its last output lines (for failure messages). */
    record Exit(int code, long millis, String tail) {
    }

    /**
     * One cold start: the function's HTTP status, the time from JVM start to the answer as the child measured it
     * (wall clock minus {@code RuntimeMXBean.getStartTime()}), and the time from {@code ProcessBuilder.start()}
     * to reading that answer line here (adds process creation and the launcher).
     */
    record ColdStart(int httpStatus, long msSinceJvmStart, long msSinceSpawn) {
    }

    private static final Pattern CALL = Pattern.compile(
            "\"event\":\"cds_training_call\".*\"httpStatus\":\"(\\d+)\".*\"msSinceJvmStart\":(\\d+)");
    /** Options the launcher would add to every JVM from the environment: they must not blur the setups. */
    private static final List<String> INHERITED_OPTIONS = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS", JvmSetup.JDK_CONNECTOR, "OCI_SDK_DEFAULT_RETRY_ENABLED",
            "OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED");
    private static final int TAIL_LINES = 15;

    private final Path java;
    private final long timeoutSeconds;

    FreshJvm(Path javaHome, long timeoutSeconds) {
        this.java = javaHome.resolve("bin/java");
        this.timeoutSeconds = timeoutSeconds;
    }

    Exit run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        return run(args, env, null);
    }

    /** @param onLine sees every line the JVM prints (stdout and stderr), null for none */
    Exit run(List<String> args, Map<String, String> env, java.util.function.Consumer<String> onLine)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = start(args, env);
        Deque<String> tail = readAll(p, onLine);
        return new Exit(awaitExit(p, args), (System.nanoTime() - start) / 1_000_000, String.join("\n", tail));
    }

    /** Runs {@code CdsTraining} with {@code event} under {@code setup}; fails if it prints no answer. */
    ColdStart coldStart(JvmSetup setup, Path archive, FunctionImageLayout layout, Path event)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        if (archive != null) {
            args.add("-XX:SharedArchiveFile=" + archive);
            args.add("-Xshare:auto");
        }
        args.addAll(setup.jvmFlags());
        args.addAll(List.of("-cp", layout.classPath(), CdsTraining.class.getName(), layout.command(),
                event.toString()));
        long spawned = System.nanoTime();
        Process p = start(args, setup.env());
        long[] answeredAt = new long[1];
        Matcher[] call = new Matcher[1];
        Deque<String> tail = readAll(p, line -> {
            Matcher m = CALL.matcher(line);
            if (call[0] == null && m.find()) {
                answeredAt[0] = System.nanoTime();
                call[0] = m;
            }
        });
        int code = awaitExit(p, args);
        if (call[0] == null || code != 0) {
            throw new IllegalStateException(setup.name() + ": no answer (exit " + code + ")\n" + String.join("\n", tail));
        }
        return new ColdStart(Integer.parseInt(call[0].group(1)), Long.parseLong(call[0].group(2)),
                (answeredAt[0] - spawned) / 1_000_000);
    }

    private Process start(List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        INHERITED_OPTIONS.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        // The output is read to its end: a JVM that hangs must be ended for that read to return.
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "fresh-jvm-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return p;
    }

    private static Deque<String> readAll(Process p, java.util.function.Consumer<String> onLine) throws IOException {
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (onLine != null) {
                    onLine.accept(line);
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }
        return tail;
    }

    private int awaitExit(Process p, List<String> args) throws InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("JVM did not exit within " + timeoutSeconds + " s: " + args);
        }
        return p.exitValue();
    }
}
