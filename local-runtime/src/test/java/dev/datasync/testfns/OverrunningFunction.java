package dev.datasync.testfns;

import java.util.Properties;

/**
 * Test function that runs for {@code overrun_ms} (config) ignoring interruption, like a call stuck in code that
 * never checks for it. It counts the calls running right now in JVM-wide system properties (statics are per
 * container class loader), so a test can see whether two calls ever overlapped.
 */
public class OverrunningFunction {

    public static final String RUNNING = "test.overrunning.running";
    public static final String MAX_RUNNING = "test.overrunning.maxRunning";
    public static final String ENDED = "test.overrunning.ended";

    private final long overrunMs;

    public OverrunningFunction(com.fnproject.fn.api.RuntimeContext ctx) {
        this.overrunMs = Long.parseLong(ctx.getConfigurationByKey("overrun_ms").orElse("1000"));
    }

    public String handleRequest(String body) {
        Properties p = System.getProperties();
        int running = (Integer) p.compute(RUNNING, (k, v) -> v == null ? 1 : (Integer) v + 1);
        p.compute(MAX_RUNNING, (k, v) -> v == null ? running : Math.max((Integer) v, running));
        long until = System.currentTimeMillis() + overrunMs;
        while (System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        p.compute(RUNNING, (k, v) -> (Integer) v - 1);
        p.compute(ENDED, (k, v) -> v == null ? 1 : (Integer) v + 1);
        return "done";
    }
}
