package dev.datasync.shared.delivery;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.guard.TargetGuard;
import dev.datasync.shared.guard.Verdict;

import java.net.URI;

/**
 * The SSRF policy applied again right before each delivery (DNS may have changed since the message was accepted,
 * and the global or the source's allow-list may have been narrowed). A cleared target comes with the addresses the
 * guard approved: {@link TargetCaller} connects to those and never resolves the name again, so a DNS answer that
 * changes after the check (rebinding) cannot take the call elsewhere.
 */
@FunctionalInterface
public interface TargetCheck {

    /**
     * The addresses the target may be called at, or the failure to route the message with.
     *
     * @param sourceId the message's source application (its allow-list applies too), null for none
     */
    Clearance clear(URI target, String sourceId);

    /** The project's {@link TargetGuard} with the global allow-list alone. */
    static TargetCheck of(TargetGuard guard) {
        return of(guard, sourceId -> null);
    }

    /**
     * The project's {@link TargetGuard} with the global list and the message's source's list: a host that does not
     * resolve (now), or a source list that cannot be read now, is a network failure, to be replayed later; any other
     * refusal can never succeed and is routed as invalid.
     */
    static TargetCheck of(TargetGuard guard, SourceAllowlists sources) {
        return (target, sourceId) -> {
            Verdict v;
            try {
                // the source's list is looked up only for a target the global list admits
                v = guard.check(target, () -> sourceId == null ? null : sources.of(sourceId));
            } catch (SourceUnavailableException e) {
                return Clearance.refused(Failure.of(FailureKind.NETWORK, "the source's allow-list cannot be read now: "
                        + e.getMessage()));
            }
            if (v.allowed()) {
                return Clearance.cleared(v.addresses());
            }
            return Clearance.refused(v.outcome() == Verdict.Outcome.UNRESOLVABLE
                    ? Failure.of(FailureKind.NETWORK, "target host does not resolve: " + v.detail())
                    : Failure.of(FailureKind.INVALID, "target refused: " + v.detail()));
        };
    }
}
