package dev.datasync.local.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorageClient;
import com.oracle.bmc.objectstorage.requests.DeleteObjectRequest;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.requests.PutObjectRequest;
import dev.datasync.shared.rules.RulesFile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The sources' rules the delivering functions read: one {@code rules/<id>.json} object per source
 * ({@link RulesFile#objectName}) in the state bucket, written through the real Object Storage client as Terraform
 * writes it on OCI.
 */
public final class SourceRulesStore {

    private final ObjectStorageClient client;
    private final String namespace;
    private final String bucket;

    public SourceRulesStore(ObjectStorageClient client, String namespace, String bucket) {
        this.client = client;
        this.namespace = namespace;
        this.bucket = bucket;
    }

    public void put(String sourceId, byte[] rules) {
        client.putObject(PutObjectRequest.builder().namespaceName(namespace).bucketName(bucket)
                .objectName(RulesFile.objectName(sourceId)).contentType("application/json")
                .contentLength((long) rules.length).putObjectBody(new ByteArrayInputStream(rules)).build());
    }

    /** The stored rules object of {@code sourceId}, byte for byte, if any. */
    public Optional<byte[]> get(String sourceId) throws IOException {
        try (InputStream in = client.getObject(GetObjectRequest.builder().namespaceName(namespace)
                .bucketName(bucket).objectName(RulesFile.objectName(sourceId)).build()).getInputStream()) {
            return Optional.of(in.readAllBytes());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** @return whether there were rules to remove */
    public boolean delete(String sourceId) {
        try {
            client.deleteObject(DeleteObjectRequest.builder().namespaceName(namespace).bucketName(bucket)
                    .objectName(RulesFile.objectName(sourceId)).build());
            return true;
        } catch (BmcException e) {
            if (e.getStatusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
