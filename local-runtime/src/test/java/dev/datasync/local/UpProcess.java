package dev.datasync.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertNotNull;

/**
 * {@code DataSyncCli up} as a child process with this test's class path, as {@code ./datasync up} runs it: its
 * stderr goes to {@code <data dir>-<name>.log}, {@link #ready} completes with the gateway URL from the ready line
 * (or null when the process ends without one); {@link #out} collects its stdout lines.
 */
public record UpProcess(Process process, CompletableFuture<String> ready, Path err, List<String> out) {

    private static final Pattern READY = Pattern.compile("datasync up: gateway (http://\\S+)");

    /**
     * @param env      DATASYNC_* beyond the data dir and a free gateway port
     * @param jvmFlags extra JVM flags ({@code -D…})
     * @param umask    run under this umask (e.g. "000"), or null for the test's own
     */
    public static UpProcess launch(Path dataDir, String name, Map<String, String> env, List<String> jvmFlags,
                                   String umask) throws IOException {
        return launch(dataDir, name, env, jvmFlags, umask, "up");
    }

    /** Any {@code DataSyncCli} command as a child process (for one that is not {@code up}, ready stays pending). */
    public static UpProcess launch(Path dataDir, String name, Map<String, String> env, List<String> jvmFlags,
                                   String umask, String... command) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = new ArrayList<>();
        if (umask != null) {
            // the shell sets the umask, then becomes the JVM: the JVM's own files are created under that umask
            argv.addAll(List.of("sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        }
        argv.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), "-Dsun.net.httpserver.nodelay=true",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        argv.addAll(jvmFlags);
        argv.add("dev.datasync.local.cli.DataSyncCli");
        argv.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("DATASYNC_DATA_DIR", dataDir.toString());
        pb.environment().put("DATASYNC_PORT", "0");
        pb.environment().putAll(env);
        Path err = dataDir.getParent().resolve(dataDir.getFileName() + "-" + name + ".log");
        pb.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        Process p = pb.start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        List<String> out = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(m.group(1));
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
            ready.complete(null); // ended without a ready line
        });
        reader.setDaemon(true);
        reader.start();
        return new UpProcess(p, ready, err, out);
    }

    /** The gateway URL once the stack is ready (fails the test if it never becomes ready). */
    public String awaitReady() throws Exception {
        String url = ready.get(90, TimeUnit.SECONDS);
        assertNotNull("stack did not become ready; see " + err, url);
        return url;
    }

    /** SIGTERM (the clean Ctrl-C path), then SIGKILL if it has not ended within a minute. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
