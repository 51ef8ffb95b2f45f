package dev.datasync.local;

import dev.datasync.local.stack.PipelineStack;
import org.junit.rules.ExternalResource;

import java.util.Map;

/**
 * The whole local stack with its sample target and a probe, started once for a test class
 * ({@code @ClassRule}) and stopped after it; {@link #written()} tells whether refused requests left anything behind.
 */
public final class StackUnderTest extends ExternalResource {

    /** What the stack holds and what the target got, to compare before and after refused requests. */
    public record Written(long messages, int secrets, int targetCalls) {
    }

    private final Map<String, String> env;
    private RunningStack running;
    private StackProbe probe;

    public StackUnderTest() {
        this(Map.of());
    }

    /** @param env settings ({@code DATASYNC_*}) for the stack, e.g. a short archive rollover */
    public StackUnderTest(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    protected void before() throws Throwable {
        running = RunningStack.start(env, settings -> settings);
        probe = new StackProbe(running.stack());
    }

    @Override
    protected void after() {
        if (probe != null) {
            probe.close();
        }
        if (running != null) {
            running.close();
        }
    }

    public RunningStack running() {
        return running;
    }

    public PipelineStack stack() {
        return running.stack();
    }

    public StackProbe probe() {
        return probe;
    }

    public Written written() {
        return new Written(probe.dataStreamMessages(), probe.secrets(), running.target().received().size());
    }
}
