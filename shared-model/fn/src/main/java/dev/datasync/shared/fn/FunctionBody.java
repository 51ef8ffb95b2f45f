package dev.datasync.shared.fn;

import com.fnproject.fn.api.InputEvent;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The whole body of an invocation as bytes (each function validates and parses it itself). */
public final class FunctionBody {

    private FunctionBody() {
    }

    public static byte[] bytes(InputEvent event) {
        return event.consumeBody(in -> {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
