package dev.datasync.shared.retry;

import dev.datasync.shared.retry.internal.ErrorMapping;

import java.util.List;

/**
 * Body of POST /stream/retry — the public contract's fields (docs/examples/retry-request.json), names unchanged.
 * {@code readAfterOffset} is a long (-1 = from the oldest retained message): stream offsets go beyond 32 bits.
 */
public record RetryRequest(String streamOCIDToRetry,
                           int noOfMessagesToProcess,
                           long readAfterOffset,
                           String readPartition,
                           List<ErrorMapping> errormapping) {

    public RetryRequest {
        errormapping = errormapping == null ? List.of() : List.copyOf(errormapping);
    }
}
