package dev.datasync.local.oci;

import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import com.oracle.bmc.model.BmcException;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The source registry the functions read: one {@code sources/<id>.json} object per source ({@link SourcePolicy},
 * in the project's JSON) in the state bucket, written through the real Object Storage client as Terraform writes
 * it on OCI.
 */
public final class SourcePolicyStore {

    private final ObjectStorageClient client;
    private final String namespace;
    private final String bucket;

    public SourcePolicyStore(ObjectStorageClient client, String namespace, String bucket) {
        this.client = client;
        this.namespace = namespace;
        this.bucket = bucket;
    }

    public void put(SourcePolicy policy) {
        byte[] body = Json.toBytes(policy);
        client.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(bucket)
                .objectName(SourcePolicy.objectName(policy.id())).contentType("application/json")
                .contentLength((long) body.length).putObjectBody(new ByteArrayInputStream(body)).build());
    }

    /** The stored policy of {@code sourceId}, if any. */
    public Optional<SourcePolicy> get(String sourceId) throws IOException {
        try (InputStream in = client.getObject(GetObjectRequest.builder().namespaceName(namespace)
                .bucketName(bucket).objectName(SourcePolicy.objectName(sourceId)).build()).getInputStream()) {
            return Optional.of(Json.mapper().readValue(in, SourcePolicy.class));
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
