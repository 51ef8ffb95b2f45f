package dev.datasync.local.demo;

import dev.datasync.local.cli.StreamInspector;
import dev.datasync.local.stack.PipelineStack;

import java.io.PrintStream;

/**
 * The demo's second part, after the pipeline tour of {@link DemoScenario}: a signed delivery verified at the target,
 * a delayed delivery, a fan-out to three targets and outcome callbacks. Each step sends to a listener of its own on the sample target
 * (sharing its record): the tour's scripted 5xx answers may have left the first listener's circuit breaker open.
 */
public final class FeatureTour {

    /** What became of each feature's message. */
    public record Result(boolean signed, boolean delayed, boolean fanOut, boolean callbacks) {
        public boolean asExpected() {
            return signed && delayed && fanOut && callbacks;
        }
    }

    private final PipelineStack stack;
    private final SampleTarget target;
    private final PrintStream out;

    public FeatureTour(PipelineStack stack, SampleTarget target, PrintStream out) {
        this.stack = stack;
        this.target = target;
        this.out = out;
    }

    public Result run() throws Exception {
        String sourceToken = stack.sourceToken().orElseThrow(() -> new IllegalStateException(
                "the demo's stack has no default source credential"));
        MessageFates fates = new MessageFates(target, new StreamInspector(stack.clients().streamAdmin(),
                stack.clients().stream()), stack.errorStreams());
        boolean signed;
        boolean delayed;
        boolean fanOut;
        boolean callbacks;
        try (SampleTarget listener = target.alsoListenOn(0)) {
            signed = new SignedDeliveryDemo(stack, listener, out).run();
            delayed = new DelayedDeliveryDemo(stack, listener, fates, sourceToken, out).run();
            fanOut = new FanOutDemo(stack, listener, sourceToken, out).run();
            callbacks = new CallbackDemo(stack, listener, sourceToken, out).run();
        }
        Result r = new Result(signed, delayed, fanOut, callbacks);
        out.printf("   signed delivery %s; delayed delivery %s; fan-out to 3 targets %s; outcome callbacks %s — %s%n",
                signed ? "verified" : "NOT verified", delayed ? "delivered after its deliverAfter" : "NOT as expected",
                fanOut ? "each delivered with its own id" : "NOT as expected",
                callbacks ? "received for delivered and unrecoverable" : "NOT as expected",
                r.asExpected() ? "as expected" : "NOT as expected");
        return r;
    }
}
