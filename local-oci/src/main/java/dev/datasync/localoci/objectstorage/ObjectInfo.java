package dev.datasync.localoci.objectstorage;

import java.util.Map;

/**
 * An object's metadata (its bytes are read separately so listings never load them).
 *
 * @param md5      base64 MD5 of the bytes (OCI's {@code Content-MD5} / {@code opc-content-md5})
 * @param metadata user metadata from {@code opc-meta-*} headers, keys lower-case without the prefix
 */
public record ObjectInfo(String bucket, String name, long size, String md5, String etag, String contentType,
                         String contentEncoding, String contentLanguage, String contentDisposition,
                         String cacheControl, Map<String, String> metadata, long timeCreatedMillis,
                         long timeModifiedMillis) {

    public ObjectInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
