package dev.datasync.shared.delivery;

import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import java.time.Instant;

/**
 * A message that passed its checks and waits for (another) call to its target: what {@link MessageDelivery} needs
 * between attempts. Mutable, but only ever used by one thread at a time: the scheduler hands it to the worker that
 * makes the attempt and takes it back under its lock.
 */
final class PendingCall {

    private final DeliveryRequest request;
    private final Source source;
    private final String token;
    private int attempts;
    private Failure last;
    private Instant notBefore;

    PendingCall(DeliveryRequest request, Source source, String token, Instant notBefore) {
        this.request = request;
        this.source = source;
        this.token = token;
        this.notBefore = notBefore;
    }

    DeliveryRequest request() {
        return request;
    }

    Source source() {
        return source;
    }

    String token() {
        return token;
    }

    /** Calls made so far in this invocation. */
    int attempts() {
        return attempts;
    }

    /** The last attempt's failure, null before the first attempt. */
    Failure last() {
        return last;
    }

    /** When the next attempt may start (after a backoff). */
    Instant notBefore() {
        return notBefore;
    }

    void attempted(Failure failure) {
        attempts++;
        last = failure;
    }

    void retryAt(Instant when) {
        notBefore = when;
    }
}
