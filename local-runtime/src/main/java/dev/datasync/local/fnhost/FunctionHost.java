package dev.datasync.local.fnhost;

import dev.datasync.local.log.RuntimeLog;
import dev.datasync.shared.log.LogFields;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one function the way OCI Functions does, in this JVM: a pool of hot containers ({@link FunctionInstance}),
 * each running the real FDK runtime in its own class loader, one call at a time per container. A call waits for a
 * free container; a container whose call overran the function's timeout (or whose runtime died) is replaced by a
 * fresh one.
 */
public final class FunctionHost implements FunctionInvoker, AutoCloseable {

    private static final RuntimeLog LOG = RuntimeLog.of("fn-host");

    private final FunctionSpec spec;
    private final PrintStream functionLog;
    private final BlockingQueue<FunctionInstance> idle;
    private final List<FunctionInstance> all = new ArrayList<>();
    private final AtomicInteger instanceNumbers = new AtomicInteger();
    private volatile boolean closed;

    private FunctionHost(FunctionSpec spec, PrintStream functionLog) {
        this.spec = spec;
        this.functionLog = functionLog;
        this.idle = new ArrayBlockingQueue<>(spec.poolSize());
    }

    /** Starts {@code spec.poolSize()} containers. The function object itself is built on each one's first call. */
    public static FunctionHost start(FunctionSpec spec) {
        return start(spec, System.err);
    }

    public static FunctionHost start(FunctionSpec spec, PrintStream functionLog) {
        FunctionHost host = new FunctionHost(spec, functionLog);
        for (int i = 0; i < spec.poolSize(); i++) {
            host.idle.add(host.newInstance());
        }
        LOG.info("function_started", "function", spec.name(), "entryPoint", spec.entryPoint(),
                "pool", spec.poolSize(), "timeoutMs", spec.timeout().toMillis());
        return host;
    }

    /**
     * Invokes the function once. Waits for a free container for at most the function's timeout (the platform
     * would scale out; locally the pool is the limit), then 429 TooManyRequests.
     */
    @Override
    public FunctionResponse invoke(FunctionRequest request) {
        if (closed) {
            return FunctionResponse.platformError(503, "ServiceUnavailable", "function host is shut down");
        }
        FunctionInstance instance;
        try {
            instance = idle.poll(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FunctionResponse.platformError(503, "ServiceUnavailable", "interrupted while waiting");
        }
        if (instance == null) {
            return FunctionResponse.platformError(429, "TooManyRequests",
                    "all " + spec.poolSize() + " containers of " + spec.name() + " are busy");
        }
        String callId = FunctionInstance.newCallId();
        long started = System.nanoTime();
        FunctionResponse response = instance.invoke(request, callId, Instant.now().plus(spec.timeout()));
        long latencyMs = (System.nanoTime() - started) / 1_000_000;
        if (response.platformStatus() != 200) {
            LOG.warn("function_call_failed", "function", spec.name(), "callId", callId, "instance", instance.id(),
                    LogFields.STATUS, response.platformStatus(), LogFields.LATENCY_MS, latencyMs);
        }
        if (!response.callEnded().isDone()) {
            response.callEnded().thenRun(() -> LOG.info("timed_out_call_ended", "function", spec.name(),
                    "callId", callId, "instance", instance.id(), LogFields.DURATION_MS,
                    (System.nanoTime() - started) / 1_000_000));
        }
        release(instance);
        return response;
    }

    private void release(FunctionInstance instance) {
        if (closed) {
            instance.retire();
            return;
        }
        if (instance.healthy()) {
            idle.add(instance);
        } else {
            instance.kill();
            LOG.warn("container_replaced", "function", spec.name(), "instance", instance.id());
            idle.add(newInstance());
        }
    }

    private synchronized FunctionInstance newInstance() {
        FunctionInstance instance = new FunctionInstance(spec, instanceNumbers.incrementAndGet(), functionLog);
        all.add(instance);
        all.removeIf(i -> !i.healthy() && i != instance);
        instance.start();
        return instance;
    }

    @Override
    public void close() {
        closed = true;
        List<FunctionInstance> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<>(all);
        }
        // Let calls in flight finish (a clean Ctrl-C must not cut a delivery in half), then stop the stragglers.
        snapshot.forEach(FunctionInstance::retire);
        long deadline = System.currentTimeMillis() + Math.min(spec.timeout().toMillis(), 10_000);
        for (FunctionInstance i : snapshot) {
            i.awaitExit(Math.max(1, deadline - System.currentTimeMillis()));
        }
        snapshot.stream().filter(FunctionInstance::running).forEach(FunctionInstance::kill);
        LOG.info("function_stopped", "function", spec.name());
    }
}
