package dev.datasync.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.HeadObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import dev.datasync.ingest.IngestNames;
import dev.datasync.local.stack.Topology;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A bulk file as a source hands it over: uploaded to the ingest bucket under {@code incoming/<source id>/}, then
 * followed — its checkpoint in the state bucket while the stack's Events rule has bulk-ingest-fn read it, and its
 * result object once it is done. Talks to local-oci through the real SDK client, like any source's uploader.
 */
public final class IngestDriver {

    /** How far the ingest is: the next line to read, and the lines written and refused so far. */
    public record Progress(long nextLine, long written, long refused) {
    }

    /** The finished ingest: the result object's summary and its lines refused (line results with an error). */
    public record Outcome(String object, String results, JsonNode summary, List<JsonNode> refusedLines) {
    }

    public static final class TimedOut extends Exception {
        TimedOut(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStorage os;
    private final String namespace;

    public IngestDriver(ObjectStorage os, String namespace) {
        this.os = os;
        this.namespace = namespace;
    }

    public Outcome ingest(String sourceId, String fileName, byte[] body, Duration timeout, Consumer<Progress> progress)
            throws IOException, InterruptedException, TimedOut {
        IngestNames names = IngestNames.ofInput("incoming/" + sourceId + "/" + fileName)
                .orElseThrow(() -> new CliException("not a source id and file name: " + sourceId + "/" + fileName));
        String etag = os.putObject(PutObjectRequest.builder().namespaceName(namespace)
                .bucketName(Topology.INGEST_BUCKET).objectName(names.input()).contentType("application/x-ndjson")
                .contentLength((long) body.length).putObjectBody(new ByteArrayInputStream(body)).build()).getETag();
        String state = names.stateFolder(etag) + "state.json";
        long until = System.nanoTime() + timeout.toNanos();
        Progress last = null;
        while (System.nanoTime() < until) {
            Optional<JsonNode> summary = summaryOf(names.results(), etag);
            if (summary.isPresent()) {
                return new Outcome(names.input(), names.results(), summary.get(), refused(names.results()));
            }
            Optional<byte[]> s = read(Topology.STATE_BUCKET, state);
            if (s.isPresent()) {
                JsonNode n = JSON.readTree(s.get());
                Progress p = new Progress(n.path("nextLine").asLong(), n.path("accepted").asLong(),
                        n.path("rejected").asLong());
                if (!p.equals(last)) {
                    progress.accept(p);
                    last = p;
                }
            }
            Thread.sleep(250);
        }
        throw new TimedOut("no result object for " + names.input() + " after " + timeout.toSeconds() + " s");
    }

    /** The summary of the result object when it is the one of version {@code etag}. */
    private Optional<JsonNode> summaryOf(String results, String etag) throws IOException {
        try {
            os.headObject(HeadObjectRequest.builder().namespaceName(namespace).bucketName(Topology.INGEST_BUCKET)
                    .objectName(results).build());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        List<String> lines = lines(results);
        JsonNode summary = JSON.readTree(lines.get(lines.size() - 1)).path("summary");
        return etag.equals(summary.path("etag").asText()) ? Optional.of(summary) : Optional.empty();
    }

    private List<JsonNode> refused(String results) throws IOException {
        List<JsonNode> refused = new ArrayList<>();
        for (String line : lines(results)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("error") && n.has("line")) {
                refused.add(n);
            }
        }
        return refused;
    }

    private List<String> lines(String name) throws IOException {
        byte[] bytes = read(Topology.INGEST_BUCKET, name).orElseThrow(() -> new IOException(name + " vanished"));
        return new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    private Optional<byte[]> read(String bucket, String name) throws IOException {
        try (InputStream in = os.getObject(GetObjectRequest.builder().namespaceName(namespace).bucketName(bucket)
                .objectName(name).build()).getInputStream()) {
            return Optional.of(in.readAllBytes());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
