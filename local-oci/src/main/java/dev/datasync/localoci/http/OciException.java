package dev.datasync.localoci.http;

/**
 * An OCI error answer: thrown anywhere inside a handler, turned by the server into
 * {@code {"code","message"}} with the given HTTP status. The factories use OCI's own code strings.
 */
public final class OciException extends RuntimeException {
    private final int status;
    private final String code;

    public OciException(int status, String code, String message) {
        super(message, null, false, false); // no stack trace: this is control flow, not a bug
        this.status = status;
        this.code = code;
    }

    public int status() { return status; }
    public String code() { return code; }

    public static OciException invalidParameter(String message) { return new OciException(400, "InvalidParameter", message); }
    public static OciException missingParameter(String message) { return new OciException(400, "MissingParameter", message); }
    public static OciException limitExceeded(String message) { return new OciException(400, "LimitExceeded", message); }
    public static OciException notAuthenticated(String message) { return new OciException(401, "NotAuthenticated", message); }
    public static OciException notFound(String message) { return new OciException(404, "NotAuthorizedOrNotFound", message); }
    public static OciException noRoute(String message) { return new OciException(404, "NotFound", message); }
    public static OciException methodNotAllowed(String message) { return new OciException(405, "MethodNotAllowed", message); }
    public static OciException conflict(String message) { return new OciException(409, "Conflict", message); }
    public static OciException alreadyExists(String message) { return new OciException(409, "NotAuthorizedOrResourceAlreadyExists", message); }
    public static OciException incorrectState(String message) { return new OciException(409, "IncorrectState", message); }
    public static OciException preconditionFailed(String message) { return new OciException(412, "NoEtagMatch", message); }
    public static OciException payloadTooLarge(String message) { return new OciException(413, "PayloadTooLarge", message); }
    public static OciException tooManyRequests(String message) { return new OciException(429, "TooManyRequests", message); }
    public static OciException serviceUnavailable(String message) { return new OciException(503, "ServiceUnavailable", message); }

    /** The OCI code string for an injected or generic status. */
    public static OciException forStatus(int status, String message) {
        return switch (status) {
            case 400 -> invalidParameter(message);
            case 401 -> notAuthenticated(message);
            case 404 -> notFound(message);
            case 409 -> incorrectState(message);
            case 429 -> tooManyRequests(message);
            case 503 -> serviceUnavailable(message);
            default -> new OciException(status, status >= 500 ? "InternalServerError" : "InvalidParameter", message);
        };
    }
}
