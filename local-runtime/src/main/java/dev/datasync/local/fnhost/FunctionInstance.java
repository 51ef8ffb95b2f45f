package dev.datasync.local.fnhost;

import com.fnproject.fn.api.Headers;
import com.fnproject.fn.runtime.ReadOnceInputEvent;
import com.fnproject.fn.testing.FnTestingClassLoader;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One hot container: its own class loader (so the function's statics, caches and SDK clients belong to this
 * instance alone, as in a separate container on OCI) and one thread running the real FDK {@code EntryPoint}.
 * Serves one call at a time; the pool guarantees that.
 */
final class FunctionInstance {

    /**
     * Classes shared with the host instead of being loaded per instance. The FDK types that cross the codec
     * boundary must be shared; the JDK must be; big third-party libraries are shared only to save memory and
     * start-up time (they hold no per-function state that matters here). Everything else, in particular
     * {@code dev.datasync.*} function and shared-model code and the FDK runtime, is loaded afresh per instance.
     */
    static final List<String> SHARED_PREFIXES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.w3c.", "org.xml.", "org.ietf.", "org.jcp.",
            "=com.fnproject.fn.api.Headers", "=com.fnproject.fn.api.InputEvent",
            "=com.fnproject.fn.api.OutputEvent", "=com.fnproject.fn.api.OutputEvent$Status",
            "=com.fnproject.fn.runtime.EventCodec", "=com.fnproject.fn.runtime.EventCodec$Handler",
            "dev.datasync.local.fnhost.",
            "com.oracle.bmc.", "org.glassfish.", "com.fasterxml.", "jakarta.", "org.apache.", "io.vavr.",
            "io.github.resilience4j.", "org.jvnet.", "javassist.", "org.slf4j.", "org.bouncycastle.",
            "org.aopalliance.", "org.objectweb.", "net.bytebuddy.", "com.google.");

    private final FunctionSpec spec;
    private final String instanceId;
    private final QueueEventCodec codec = new QueueEventCodec();
    private final Thread thread;
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private volatile boolean retired;

    FunctionInstance(FunctionSpec spec, int number, PrintStream functionLog) {
        this.spec = spec;
        this.instanceId = spec.name() + "-" + number;
        Map<String, String> env = environment(spec, instanceId);
        ClassLoader parent = FunctionInstance.class.getClassLoader();
        this.thread = new Thread(() -> {
            try {
                FnTestingClassLoader loader = new FnTestingClassLoader(parent, SHARED_PREFIXES);
                int code = loader.run(env, codec, functionLog, spec.entryPoint());
                exited.complete(code);
            } catch (Throwable t) {
                exited.completeExceptionally(t);
            }
        }, "fn-" + instanceId);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String id() {
        return instanceId;
    }

    /** True while this container can take another call. */
    boolean healthy() {
        return !retired && !exited.isDone();
    }

    /**
     * Runs one call and waits for it, at most until the deadline. A call that overruns is answered 504 and the
     * container is retired (it may still be busy; its late answer is thrown away), as the platform kills a
     * container whose call timed out. Unlike the platform's kill, the thread may run on: the 504 carries
     * {@link FunctionResponse#callEnded()} so a caller that would redo the work can wait for the call to end.
     */
    FunctionResponse invoke(FunctionRequest request, String callId, Instant deadline) {
        if (!healthy()) {
            return FunctionResponse.platformError(502, "FunctionInvokeContainerUnavailable",
                    "function container " + instanceId + " is not running");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.put("Fn-Call-Id", List.of(callId));
        headers.put("Fn-Deadline", List.of(deadline.toString()));
        Headers fnHeaders = Headers.emptyHeaders().setHeaders(headers);
        ReadOnceInputEvent event = new ReadOnceInputEvent(new ByteArrayInputStream(request.body()), fnHeaders,
                callId, deadline);
        CompletableFuture<FunctionResponse> result = new CompletableFuture<>();
        codec.submit(new QueueEventCodec.Call(event, result));
        long waitMs = Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis());
        try {
            // If the runtime thread dies (function failed to load), stop waiting at once.
            CompletableFuture<Object> either = CompletableFuture.anyOf(result, exited);
            Object outcome = either.get(waitMs, TimeUnit.MILLISECONDS);
            if (outcome instanceof FunctionResponse response) {
                return response;
            }
            retire();
            return FunctionResponse.platformError(502, "FunctionInvokeFailed",
                    "function " + spec.name() + " exited before answering (status " + outcome + ")");
        } catch (TimeoutException e) {
            kill();
            return FunctionResponse.platformError(504, "FunctionInvokeTimeout",
                    "function " + spec.name() + " did not answer within " + spec.timeout().toMillis() + " ms")
                    .withAbandonedCall(ended(result));
        } catch (ExecutionException e) {
            retire();
            return FunctionResponse.platformError(502, "FunctionInvokeFailed",
                    "function " + spec.name() + " could not start: " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return FunctionResponse.platformError(500, "InternalServerError", "invocation interrupted")
                    .withAbandonedCall(ended(result));
        }
    }

    /**
     * Completes when an abandoned call has really stopped running: its answer arrived late, or the container's
     * runtime thread ended. Java cannot stop a thread by force, so a call that ignores interruption runs on after
     * its time-out; whoever would redo its work must wait for this, or the two would run side by side.
     */
    private CompletableFuture<Void> ended(CompletableFuture<FunctionResponse> result) {
        return CompletableFuture.anyOf(result, exited).handle((x, t) -> null);
    }

    /** Stops taking calls; the runtime thread ends once its current call (if any) returns. */
    void retire() {
        retired = true;
        codec.stop();
    }

    /** Retires and interrupts a call still running (it overran its time-out or the host is shutting down). */
    void kill() {
        retire();
        // A stuck call may be waiting on I/O that honours interruption (HTTP client, queues, sleeps).
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    boolean running() {
        return thread.isAlive();
    }

    void awaitExit(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String newCallId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName();
    }

    /** The environment a container on OCI Functions sees: the config keys plus the platform's FN_* variables. */
    private static Map<String, String> environment(FunctionSpec spec, String instanceId) {
        Map<String, String> env = new HashMap<>(spec.config());
        env.put("FN_APP_ID", spec.appId());
        env.put("FN_FN_ID", spec.fnId());
        env.put("FN_APP_NAME", spec.appName());
        env.put("FN_FN_NAME", spec.name());
        env.put("FN_FORMAT", "http-stream");
        env.put("FN_MEMORY", Integer.toString(spec.memoryMb()));
        env.put("FN_TYPE", "sync");
        env.put("HOSTNAME", instanceId);
        return env;
    }
}
