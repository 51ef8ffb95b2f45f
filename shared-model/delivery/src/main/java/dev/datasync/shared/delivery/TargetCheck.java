package dev.datasync.shared.delivery;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.guard.Verdict;

import java.net.URI;

/**
 * The SSRF policy applied again right before each delivery (DNS may have changed since the message was accepted,
 * and the allow-list may have been narrowed).
 */
@FunctionalInterface
public interface TargetCheck {

    /** The failure to route the message with, or null when the target may be called. */
    Failure refusal(URI target);

    /**
     * The project's {@link TargetGuard}: a host that does not resolve (now) is a network failure, to be replayed
     * later; any other refusal can never succeed and is routed as invalid.
     */
    static TargetCheck of(TargetGuard guard) {
        return target -> {
            Verdict v = guard.check(target);
            if (v.allowed()) {
                return null;
            }
            return v.outcome() == Verdict.Outcome.UNRESOLVABLE
                    ? Failure.of(FailureKind.NETWORK, "target host does not resolve: " + v.detail())
                    : Failure.of(FailureKind.INVALID, "target refused: " + v.detail());
        };
    }
}
