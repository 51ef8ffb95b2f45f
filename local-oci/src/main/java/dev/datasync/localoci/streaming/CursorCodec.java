package dev.datasync.localoci.streaming;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.http.OciException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cursors are opaque to clients: the position is carried in the cursor itself (no server-side cursor table),
 * as base64url JSON plus an HMAC so a client cannot forge or alter one. The HMAC key is kept in the store, so
 * cursors stay valid across a restart until they expire (5 minutes after issue, as on OCI).
 */
final class CursorCodec {
    static final long LIFETIME_MILLIS = 5 * 60_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;

    CursorCodec(byte[] key) {
        this.key = key.clone();
    }

    /**
     * The decoded state of a cursor.
     *
     * @param positions partition → offset of the next message to read (one entry for a partition cursor)
     * @param group     null for a partition cursor
     */
    record State(String streamId, Map<Integer, Long> positions, long issuedAt, String group, String instance,
                 Boolean commitOnGet, Integer timeoutMs) {
        State {
            positions = new TreeMap<>(positions);
        }

        boolean isGroup() {
            return group != null;
        }

        State at(Map<Integer, Long> newPositions, long now) {
            return new State(streamId, newPositions, now, group, instance, commitOnGet, timeoutMs);
        }
    }

    String encode(State state) {
        try {
            byte[] payload = JSON.writeValueAsBytes(state);
            return B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 400 InvalidParameter for a malformed, forged, expired or other-stream cursor. */
    State decode(String cursor, String streamId, long now) {
        State state;
        try {
            int dot = cursor.indexOf('.');
            if (dot < 0) {
                throw invalid();
            }
            byte[] payload = B64D.decode(cursor.substring(0, dot));
            byte[] mac = B64D.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, mac(payload))) {
                throw invalid();
            }
            state = JSON.readValue(payload, State.class);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (!state.streamId().equals(streamId)) {
            throw OciException.invalidParameter("The cursor belongs to another stream");
        }
        if (now - state.issuedAt() > LIFETIME_MILLIS) {
            throw OciException.invalidParameter("The cursor has expired; cursors are valid for 5 minutes");
        }
        return state;
    }

    private static OciException invalid() {
        return OciException.invalidParameter("The cursor is not valid");
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(payload), 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
