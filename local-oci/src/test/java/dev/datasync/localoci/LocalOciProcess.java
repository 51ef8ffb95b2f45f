package dev.datasync.localoci;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@link LocalOciMain} as a separate JVM with the test class path, as {@code ./datasync up} would. */
final class LocalOciProcess implements AutoCloseable {
    final Process process;
    final String baseUrl;
    final Path configFile;
    /** The ready line's {@code adminSecretFile}, where the process wrote the secret {@code /_admin/*} requires. */
    final Path adminSecretFile;

    private LocalOciProcess(Process process, String baseUrl, Path configFile, Path adminSecretFile) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.configFile = configFile;
        this.adminSecretFile = adminSecretFile;
    }

    String adminSecret() throws IOException {
        return java.nio.file.Files.readString(adminSecretFile).trim();
    }

    static LocalOciProcess start(Path dataDir, Path declaration, String... moreArgs) throws Exception {
        Process process = launch(dataDir, declaration, moreArgs);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (line == null) {
            process.destroyForcibly();
            throw new IllegalStateException("local-oci process exited before it was ready");
        }
        JsonNode ready;
        try {
            ready = JsonLogTest.assertCommonShape(line, "INFO", "ready"); // the ready line has the log lines' shape
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw new IllegalStateException("unexpected first line: " + line, e);
        }
        return new LocalOciProcess(process, ready.get("baseUrl").asText(), Path.of(ready.get("configFile").asText()),
                Path.of(ready.get("adminSecretFile").asText()));
    }

    /** Starts {@link LocalOciMain}; stderr goes to {@link #stderrFile}. */
    static Process launch(Path dataDir, Path declaration, String... moreArgs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dsun.net.httpserver.nodelay=true", "-cp",
                System.getProperty("java.class.path"), LocalOciMain.class.getName(), "--data-dir", dataDir.toString(),
                "--declaration", declaration.toString()));
        command.addAll(List.of(moreArgs));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectError(stderrFile(dataDir).toFile());
        return pb.start();
    }

    static Path stderrFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + "-stderr.log");
    }

    /** {@code kill -9}: no shutdown hook, no clean close of the database. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            kill();
        }
    }
}
