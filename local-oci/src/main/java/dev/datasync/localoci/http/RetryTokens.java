package dev.datasync.localoci.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datasync.localoci.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OCI's {@code opc-retry-token} for the operations whose API defines it: the SDK generates one per call and
 * sends the same one on each of its retries, so a retry of a create whose first answer was lost gets the
 * ORIGINAL answer instead of doing the create again (or failing it as a duplicate). Here: the first successful
 * (2xx) answer to a token is kept for 24 hours in SQLite (so a restart does not forget it); the same token with
 * the same method, path and body gets that answer back; the same token with another request gets 409
 * {@code InvalidatedRetryToken}. Failed answers are not kept: nothing was done, so a retry runs again.
 * The answer is recorded in its own transaction right after the handler's: a {@code kill -9} exactly between
 * the two would let a retry after the restart run the create again (CreateSecret then answers 409 for the
 * existing name) — a window of microseconds, accepted to keep handlers unaware of retry tokens.
 */
public final class RetryTokens {
    public static final String HEADER = "opc-retry-token";
    static final Duration LIFETIME = Duration.ofHours(24);
    /** OCI's documented maximum length of a retry token. */
    static final int MAX_LENGTH = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Store store;
    private final Clock clock;
    /** Serialises requests per token (striped), so two concurrent sends of one token run the handler once. */
    private final ReentrantLock[] stripes = new ReentrantLock[64];

    public RetryTokens(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
        store.schema("CREATE TABLE IF NOT EXISTS retry_tokens (token TEXT PRIMARY KEY, request_hash TEXT NOT NULL,"
                        + " status INTEGER NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL,"
                        + " created_at INTEGER NOT NULL)",
                "CREATE INDEX IF NOT EXISTS retry_tokens_created ON retry_tokens (created_at)");
    }

    private record Kept(String requestHash, Response response) {}

    /** Runs {@code handler} for {@code request} unless the request's retry token already has an answer. */
    public Response handle(Request request, Handler handler) throws Exception {
        String token = request.header(HEADER);
        if (token == null || token.isEmpty()) {
            return handler.handle(request);
        }
        if (token.length() > MAX_LENGTH) {
            throw OciException.invalidParameter(HEADER + " must be at most " + MAX_LENGTH + " characters");
        }
        String hash = requestHash(request);
        ReentrantLock lock = stripes[Math.floorMod(token.hashCode(), stripes.length)];
        lock.lock();
        try {
            long now = clock.millis();
            Kept kept = find(token, now);
            if (kept != null) {
                if (!kept.requestHash().equals(hash)) {
                    throw new OciException(409, "InvalidatedRetryToken", "The " + HEADER
                            + " was already used for a different request; use a new token for a new request");
                }
                return kept.response().copy();
            }
            Response response = handler.handle(request);
            if (response.status() >= 200 && response.status() < 300) {
                keep(token, hash, response, now);
            }
            return response;
        } finally {
            lock.unlock();
        }
    }

    private Kept find(String token, long now) {
        return store.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT request_hash, status, headers, body FROM"
                    + " retry_tokens WHERE token = ? AND created_at > ?")) {
                s.setString(1, token);
                s.setLong(2, now - LIFETIME.toMillis());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Map<String, String> headers = readHeaders(rs.getString(3));
                    return new Kept(rs.getString(1), new Response(rs.getInt(2), headers, rs.getBytes(4)));
                }
            }
        });
    }

    private void keep(String token, String hash, Response response, long now) {
        String headers;
        try {
            headers = MAPPER.writeValueAsString(response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.write(c -> {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM retry_tokens WHERE created_at <= ?")) {
                purge.setLong(1, now - LIFETIME.toMillis());
                purge.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO retry_tokens"
                    + " (token, request_hash, status, headers, body, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, token);
                s.setString(2, hash);
                s.setInt(3, response.status());
                s.setString(4, headers);
                s.setBytes(5, response.body());
                s.setLong(6, now);
                s.executeUpdate();
            }
            return null;
        });
    }

    private static Map<String, String> readHeaders(String json) {
        try {
            return new LinkedHashMap<>(MAPPER.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What "the same request" means: operation, method, raw path and the exact body bytes. */
    private static String requestHash(Request request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((request.operation() + " " + request.method() + " " + request.rawPath() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            sha.update(request.body());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
