package dev.datasync.shared.oci;

/** One message to write: {@code key} may be null (OCI then picks a partition). Bytes, exactly as stored. */
public record StreamEntry(byte[] key, byte[] value) {

    /** What this entry counts toward OCI's 1 MB per-request limit. */
    public int size() {
        return (key == null ? 0 : key.length) + value.length;
    }
}
