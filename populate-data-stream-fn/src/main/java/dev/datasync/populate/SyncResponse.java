package dev.datasync.populate;

import java.util.Map;

/** What POST /stream/sync answers: HTTP status, extra response headers, JSON body. */
public record SyncResponse(int status, Map<String, String> headers, byte[] body) {

    public SyncResponse {
        headers = Map.copyOf(headers);
    }
}
