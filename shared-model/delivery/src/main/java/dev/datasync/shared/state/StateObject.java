package dev.datasync.shared.state;

import java.util.Arrays;
import java.util.Objects;

/** One version of a state object: its bytes and the etag a conditional write names. */
public record StateObject(byte[] body, String etag) {

    public StateObject {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(etag, "etag");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateObject s && etag.equals(s.etag) && Arrays.equals(body, s.body);
    }

    @Override
    public int hashCode() {
        return etag.hashCode();
    }

    @Override
    public String toString() {
        return "StateObject[etag=" + etag + ", bytes=" + body.length + "]";
    }
}
