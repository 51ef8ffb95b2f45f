package dev.datasync.shared.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.model.ObjectSummary;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.ListObjectsRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import dev.datasync.localoci.LocalOci;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bulk-ingest bucket of a local-oci as a source and an observer see it: files uploaded with the real SDK Object
 * Storage client (as a source's uploader does), the object events local-oci emitted for them (what OCI Events hands
 * the ingest function), and the objects the ingest leaves (result objects, processed files). Tests that use it
 * declare local-oci and the SDK's Object Storage module (test-support holds them optional).
 */
public final class IngestUploads implements AutoCloseable {

    public static final String BUCKET = "datasync-ingest";

    private final LocalOci oci;
    private final ObjectStorageClient client;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final AutoCloseable subscription;

    private IngestUploads(LocalOci oci) {
        this.oci = oci;
        try {
            this.client = ObjectStorageClient.builder().endpoint(oci.baseUrl()).build(
                    new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.subscription = oci.events().subscribe(events::add);
    }

    /** Starts recording the emulator's events. */
    public static IngestUploads of(LocalOci oci) {
        return new IngestUploads(oci);
    }

    /** Uploads {@code body} as {@code name}; @return its ETag */
    public String upload(String name, byte[] body) {
        return client.putObject(PutObjectRequest.builder().namespaceName(namespace()).bucketName(BUCKET)
                .objectName(name).contentType("application/x-ndjson").contentLength((long) body.length)
                .putObjectBody(new ByteArrayInputStream(body)).build()).getETag();
    }

    /** The last create/update event local-oci emitted for {@code name} (waits up to 10 s for one). */
    public JsonNode eventFor(String name) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            for (int i = events.size() - 1; i >= 0; i--) {
                JsonNode e = events.get(i);
                if (name.equals(e.path("data").path("resourceName").asText())
                        && !e.path("eventType").asText().endsWith("deleteobject")) {
                    return e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for an event of " + name);
            }
        }
        throw new AssertionError("local-oci emitted no create/update event for " + name);
    }

    /** Every event recorded so far, oldest first. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** The bytes of {@code name}, or empty when there is no such object. */
    public Optional<byte[]> read(String name) {
        try (InputStream in = client.getObject(GetObjectRequest.builder().namespaceName(namespace())
                .bucketName(BUCKET).objectName(name).build()).getInputStream()) {
            return Optional.of(in.readAllBytes());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names under {@code prefix}, in name order. */
    public List<String> list(String prefix) {
        List<String> names = new ArrayList<>();
        for (ObjectSummary o : client.listObjects(ListObjectsRequest.builder().namespaceName(namespace())
                .bucketName(BUCKET).prefix(prefix).build()).getListObjects().getObjects()) {
            names.add(o.getName());
        }
        return names;
    }

    private String namespace() {
        return oci.resources().namespace();
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception ignored) {
            // the emulator may be gone already
        }
        client.close();
    }
}
