package dev.datasync.shared.testing;

import com.oracle.bmc.auth.ConfigFileAuthenticationDetailsProvider;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import dev.datasync.localoci.LocalOci;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The source registry of a local-oci for tests: writes and removes {@code sources/<id>.json} in the state bucket
 * ({@code datasync-state}) with the real SDK Object Storage client, as Terraform and {@code ./datasync sources add}
 * do. Tests that use it declare local-oci and the SDK's Object Storage module (test-support holds them optional).
 */
public final class SourceObjects {

    public static final String STATE_BUCKET = "datasync-state";

    private SourceObjects() {
    }

    /** A policy object: {@code {"id","allowlist","ratePerSecond","maxSecrets"}} (maxSecrets left out when null). */
    public static String policy(String id, List<String> allowlist, Integer maxSecrets) {
        String entries = allowlist.stream().map(e -> "\"" + e + "\"").collect(Collectors.joining(","));
        return "{\"id\":\"" + id + "\",\"allowlist\":[" + entries + "],\"ratePerSecond\":20"
                + (maxSecrets == null ? "" : ",\"maxSecrets\":" + maxSecrets) + "}";
    }

    /** Writes {@code sources/<id>.json} with this content. */
    public static void put(LocalOci oci, String id, String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try (ObjectStorageClient client = client(oci)) {
            client.putObject(PutObjectRequest.builder().namespaceName(oci.resources().namespace())
                    .bucketName(STATE_BUCKET).objectName("sources/" + id + ".json").contentType("application/json")
                    .contentLength((long) bytes.length).putObjectBody(new ByteArrayInputStream(bytes)).build());
        }
    }

    public static void delete(LocalOci oci, String id) {
        try (ObjectStorageClient client = client(oci)) {
            client.deleteObject(DeleteObjectRequest.builder().namespaceName(oci.resources().namespace())
                    .bucketName(STATE_BUCKET).objectName("sources/" + id + ".json").build());
        }
    }

    private static ObjectStorageClient client(LocalOci oci) {
        try {
            return ObjectStorageClient.builder().endpoint(oci.baseUrl()).build(
                    new ConfigFileAuthenticationDetailsProvider(oci.configFile().toString(), oci.profile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
