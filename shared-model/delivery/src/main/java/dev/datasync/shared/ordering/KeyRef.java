package dev.datasync.shared.ordering;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The key whose messages are delivered in order: the source application ({@code sourceId}, empty for a message
 * accepted before sources existed) and the message's {@code streamKey}. Two sources using the same streamKey have
 * two keys.
 */
public record KeyRef(String sourceId, String streamKey) {

    public KeyRef {
        sourceId = sourceId == null ? "" : sourceId;
        Objects.requireNonNull(streamKey, "streamKey");
    }

    /**
     * The name of a key's lane in one batch, where the engine delivers its messages strictly in order: (sourceId,
     * streamKey), so two sources sharing a streamKey never hold each other back; null for a keyless message (a lane of
     * its own).
     */
    public static String lane(String sourceId, String streamKey) {
        return streamKey == null ? null : (sourceId == null ? "" : sourceId) + '\n' + streamKey;
    }

    /**
     * The key's name in the held index: 128 bits of SHA-256 over both parts (the source id length-prefixed, so no
     * two pairs share an input), base64url. Fixed size whatever the key, and no key or source id in plain text in
     * the state bucket.
     */
    public String id() {
        byte[] input = (sourceId.length() + ":" + sourceId + streamKey).getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
