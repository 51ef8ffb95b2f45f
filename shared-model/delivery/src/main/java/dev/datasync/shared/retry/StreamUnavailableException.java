package dev.datasync.shared.retry;

/** Streaming could not be read: the HTTP status and the service's error code, for the caller's 503 and its log. */
public final class StreamUnavailableException extends RuntimeException {

    private final int status;
    private final String serviceCode;

    public StreamUnavailableException(int status, String serviceCode, Throwable cause) {
        super("stream unavailable (HTTP " + status + ", " + serviceCode + ")", cause);
        this.status = status;
        this.serviceCode = serviceCode;
    }

    public int status() {
        return status;
    }

    public String serviceCode() {
        return serviceCode;
    }
}
