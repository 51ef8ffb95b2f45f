package dev.datasync.local.fnhost;

import com.fnproject.fn.api.InputEvent;
import com.fnproject.fn.api.OutputEvent;
import com.fnproject.fn.runtime.EventCodec;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The codec one hot container runs: the FDK's {@code EntryPoint.run} calls {@link #runCodec} and stays inside it
 * for the container's whole life, exactly like the platform's http-stream codec blocks on its socket. Calls are
 * handed over through a queue so that {@code handler.handle} only ever runs on this one thread (the runtime's lazy
 * initialisation is not thread-safe, and on OCI one container serves one call at a time).
 */
final class QueueEventCodec implements EventCodec {

    /** One call waiting for the container. */
    record Call(InputEvent event, CompletableFuture<FunctionResponse> result) {
    }

    private static final Call STOP = new Call(null, null);

    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

    void submit(Call call) {
        calls.add(call);
    }

    /** Ends {@link #runCodec} once the current call (if any) has returned. */
    void stop() {
        calls.add(STOP);
    }

    @Override
    public void runCodec(Handler handler) {
        while (true) {
            Call call;
            try {
                call = calls.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (call == STOP) {
                return;
            }
            try {
                OutputEvent out = handler.handle(call.event());
                call.result().complete(toResponse(out));
            } catch (Throwable t) {
                // The FDK turns user exceptions into a 502 OutputEvent itself; anything reaching here is a runtime
                // failure, which the platform reports as an internal error.
                call.result().complete(FunctionResponse.platformError(500, "InternalServerError",
                        "function runtime failed: " + t.getClass().getSimpleName()));
            } finally {
                try {
                    call.event().close();
                } catch (Exception ignored) {
                    // the body is an in-memory stream
                }
            }
        }
    }

    private static FunctionResponse toResponse(OutputEvent out) throws java.io.IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        out.writeToOutput(body);
        Map<String, java.util.List<String>> headers = out.getHeaders().asMap();
        String contentType = out.getContentType().orElse(null);
        return new FunctionResponse(out.getStatus().getCode(), headers, contentType, body.toByteArray());
    }
}
