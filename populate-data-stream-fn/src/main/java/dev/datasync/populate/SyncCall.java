package dev.datasync.populate;

import java.util.Optional;

/**
 * One {@code POST /stream/sync} as the handler needs it: the gateway's method, the client's Content-Type and
 * Authorization headers, the source id the gateway verified and set ({@code X-DataSync-Source-Id}), and the body.
 *
 * @param method        "" when invoked directly, treated as POST
 * @param authorization the target's token, if any (never logged)
 */
public record SyncCall(String method, Optional<String> contentType, Optional<String> authorization,
                       Optional<String> sourceId, byte[] body) {
}
