package dev.datasync.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datasync.localoci.support.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <data dir>/stack.json}, written by a running {@code ./datasync up} (0600) so the other commands reach the
 * same gateway and local-oci. Only trusted while the process it names is alive AND is the one that wrote it: after a
 * kill -9 the file stays behind and its pid may be reused by an unrelated process, so the process start time is
 * recorded too and must match. A stack.json another user could have written ({@link PrivateFiles.NotPrivate}, in an
 * UncheckedIOException), or one naming a URL off loopback ({@link StateFiles.Untrusted}), is refused outright: the
 * CLI sends the admin token to the gateway it names.
 */
public record StackInfo(String gateway, String oci, Path ociConfigFile, String ociProfile, long pid,
                        Instant startedAt) {

    public static Path file(Path dataDir) {
        return dataDir.resolve("stack.json");
    }

    /** This process's stack.json entry. */
    public static StackInfo ofThisProcess(String gateway, String oci, Path ociConfigFile, String ociProfile) {
        ProcessHandle self = ProcessHandle.current();
        return new StackInfo(gateway, oci, ociConfigFile.toAbsolutePath(), ociProfile, self.pid(),
                self.info().startInstant().orElse(null));
    }

    /** Writes stack.json (temporary file + atomic rename: a reader never sees half a file). */
    public void write(Path dataDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("gateway", gateway);
        n.put("oci", oci);
        n.put("ociConfigFile", ociConfigFile.toString());
        n.put("ociProfile", ociProfile);
        n.put("pid", pid);
        n.put("startedAt", startedAt == null ? null : startedAt.toString());
        PrivateFiles.writeAtomically(file(dataDir), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    }

    /** The live stack of {@code dataDir}, if any; throws for a stack.json that is not to be trusted. */
    public static Optional<StackInfo> readLive(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(f)) {
            return Optional.empty();
        }
        try {
            PrivateFiles.requireOwnerOnly(f);
            JsonNode n = new ObjectMapper().readTree(f.toFile());
            String started = n.path("startedAt").asText("");
            StackInfo info = new StackInfo(n.path("gateway").asText(), n.path("oci").asText(),
                    Path.of(n.path("ociConfigFile").asText()), n.path("ociProfile").asText("DEFAULT"),
                    n.path("pid").asLong(), started.isEmpty() ? null : Instant.parse(started));
            if (!info.processIsTheWriter()) {
                return Optional.empty();
            }
            StateFiles.requireLoopback(info.gateway(), f);
            StateFiles.requireLoopback(info.oci(), f);
            return Optional.of(info);
        } catch (StateFiles.Untrusted e) {
            throw e;
        } catch (PrivateFiles.NotPrivate e) {
            throw new UncheckedIOException(e);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The pid is alive and (when both are known) started when the writer did — not a reused pid. */
    private boolean processIsTheWriter() {
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return false;
        }
        Optional<Instant> actual = p.get().info().startInstant();
        return startedAt == null || actual.isEmpty() || Objects.equals(actual.get(), startedAt);
    }
}
