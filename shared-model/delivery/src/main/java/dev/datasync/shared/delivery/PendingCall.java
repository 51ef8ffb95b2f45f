package dev.datasync.shared.delivery;

import dev.datasync.shared.delivery.internal.AttemptRecord;
import dev.datasync.shared.delivery.internal.DeliveryRequest;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.signing.WebhookSigner;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message that passed its checks and waits for (another) call to its target: what {@link MessageDelivery} needs
 * between attempts. Mutable, but only ever used by one thread at a time: the scheduler hands it to the worker that
 * makes the attempt and takes it back under its lock.
 */
final class PendingCall {

    private final DeliveryRequest request;
    private final Source source;
    private final String token;
    private final WebhookSigner signer;
    private final List<InetAddress> addresses;
    private final List<AttemptRecord> calls = new ArrayList<>();
    private Failure last;
    private Instant notBefore;

    /** @param addresses what the guard approved for the target: every attempt connects to these only */
    /** @param signer null when the delivery is not signed */
    PendingCall(DeliveryRequest request, Source source, String token, WebhookSigner signer,
                List<InetAddress> addresses, Instant notBefore) {
        this.request = request;
        this.source = source;
        this.token = token;
        this.signer = signer;
        this.addresses = List.copyOf(addresses);
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

    /** The source's signer, null when its deliveries are not signed. */
    WebhookSigner signer() {
        return signer;
    }

    List<InetAddress> addresses() {
        return addresses;
    }

    /** Calls made so far in this invocation. */
    int attempts() {
        return calls.size();
    }

    /** The calls made so far, oldest first. */
    List<AttemptRecord> calls() {
        return List.copyOf(calls);
    }

    /** The last attempt's failure, null before the first attempt. */
    Failure last() {
        return last;
    }

    /** When the next attempt may start (after a backoff). */
    Instant notBefore() {
        return notBefore;
    }

    /** @param failure null when the call delivered the message */
    void attempted(AttemptRecord call, Failure failure) {
        calls.add(call);
        last = failure;
    }

    void retryAt(Instant when) {
        notBefore = when;
    }
}
