package dev.datasync.shared.delivery;

import dev.datasync.shared.delivery.internal.Failure;

import java.net.InetAddress;
import java.util.List;

/**
 * What {@link TargetCheck} decided about one message's target: refused, with the failure the message is routed
 * with, or cleared, with the addresses the guard approved — the only addresses its call may connect to.
 */
public record Clearance(Failure refusal, List<InetAddress> addresses) {

    public Clearance {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        if ((refusal == null) == addresses.isEmpty()) {
            throw new IllegalArgumentException("a clearance is either refused or has approved addresses");
        }
    }

    public static Clearance refused(Failure refusal) {
        return new Clearance(refusal, List.of());
    }

    public static Clearance cleared(List<InetAddress> addresses) {
        return new Clearance(null, addresses);
    }

    public boolean isCleared() {
        return refusal == null;
    }
}
