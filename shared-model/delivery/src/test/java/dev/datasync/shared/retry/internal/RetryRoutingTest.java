package dev.datasync.shared.retry.internal;

import dev.datasync.shared.config.FailureKind;
import dev.datasync.shared.delivery.internal.Failure;
import dev.datasync.shared.routing.RouteSelector;
import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertEquals;

public class RetryRoutingTest {

    /** The application's routing: which selector it was asked for. */
    private static final RouteSelector APP = f -> "app:" + (f.status() != null ? f.status() : f.kind().selector());

    private static final List<ErrorMapping> SEED = List.of(new ErrorMapping("404", "S404"),
            new ErrorMapping("5xx", "S5xx"), new ErrorMapping("unexpectedError", "UNRECOVERABLE"));

    @Test
    public void statusesGoByExactThenClassThenUnexpectedError() {
        RetryRouting r = new RetryRouting(SEED, APP);
        assertEquals("S404", r.streamFor(Failure.status(404, "x")));
        assertEquals("S5xx", r.streamFor(Failure.status(503, "x")));
        assertEquals("UNRECOVERABLE", r.streamFor(Failure.status(409, "x")));
        assertEquals("app:409", new RetryRouting(List.of(), APP).streamFor(Failure.status(409, "x")));
    }

    @Test
    public void networkAndTimeoutNeverFallIntoUnexpectedError() {
        // the reference's defect: recoverable failures routed to the unrecoverable stream
        RetryRouting r = new RetryRouting(SEED, APP);
        assertEquals("app:network", r.streamFor(Failure.of(FailureKind.NETWORK, "refused")));
        assertEquals("app:timeout", r.streamFor(Failure.of(FailureKind.TIMEOUT, "slow")));
        RetryRouting explicit = new RetryRouting(List.of(new ErrorMapping("unexpectedError", "UNRECOVERABLE"),
                new ErrorMapping("network", "NET"), new ErrorMapping("timeout", "SLOW")), APP);
        assertEquals("NET", explicit.streamFor(Failure.of(FailureKind.NETWORK, "refused")));
        assertEquals("SLOW", explicit.streamFor(Failure.of(FailureKind.TIMEOUT, "slow")));
    }

    @Test
    public void invalidMessagesGoToInvalidThenUnexpectedErrorThenTheApplication() {
        Failure invalid = Failure.of(FailureKind.INVALID, "not JSON");
        assertEquals("UNRECOVERABLE", new RetryRouting(SEED, APP).streamFor(invalid));
        assertEquals("INV", new RetryRouting(List.of(new ErrorMapping("invalid", "INV"),
                new ErrorMapping("unexpectedError", "UNRECOVERABLE")), APP).streamFor(invalid));
        assertEquals("app:invalid", new RetryRouting(List.of(), APP).streamFor(invalid));
    }
}
