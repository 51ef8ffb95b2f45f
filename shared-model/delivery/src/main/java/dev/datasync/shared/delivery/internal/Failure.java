package dev.datasync.shared.delivery.internal;

import dev.datasync.shared.config.FailureKind;

/**
 * Why a message was not delivered: an HTTP {@code status} from the target, or a {@code kind} when there is no status
 * (network, time-out, invalid). {@code reason} is our own wording — never a token, header value or payload.
 */
public record Failure(Integer status, FailureKind kind, String reason) {

    public Failure {
        if ((status == null) == (kind == null)) {
            throw new IllegalArgumentException("a failure has either a status or a kind");
        }
    }

    public static Failure status(int status, String reason) {
        return new Failure(status, null, reason);
    }

    public static Failure of(FailureKind kind, String reason) {
        return new Failure(null, kind, reason);
    }

    /** 429, 502, 503, 504, network and time-out may succeed on a later attempt; everything else will not. */
    public boolean transientFailure() {
        if (status != null) {
            int s = status;
            return s == 429 || s == 502 || s == 503 || s == 504;
        }
        return kind == FailureKind.NETWORK || kind == FailureKind.TIMEOUT;
    }
}
