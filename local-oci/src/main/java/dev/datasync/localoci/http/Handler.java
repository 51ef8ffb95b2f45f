package dev.datasync.localoci.http;

/** Answers one authenticated request. Throw {@link OciException} for OCI error answers. */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
