package dev.datasync.shared.retry;

import java.util.List;

/**
 * Body of POST /stream/retry — the reference's fields, names unchanged. {@code readAfterOffset} is a long
 * (-1 = from the oldest retained message); the reference parsed it as a 32-bit int.
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
