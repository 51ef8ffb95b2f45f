package dev.datasync.shared.contract;

/** The {@code code} values of {@link ApiError}, in one place so clients and tests agree on them. */
public final class ErrorCodes {
    public static final String MALFORMED_JSON = "MalformedJson";
    public static final String MISSING_FIELD = "MissingField";
    public static final String INVALID_FIELD = "InvalidField";
    public static final String FORBIDDEN_HEADER = "ForbiddenHeader";
    public static final String TOO_LARGE = "TooLarge";
    public static final String TOO_MANY_ITEMS = "TooManyItems";
    public static final String TARGET_NOT_ALLOWED = "TargetNotAllowed";
    public static final String MISSING_AUTHORIZATION = "MissingAuthorization";
    public static final String TOKEN_MISMATCH = "TokenMismatch";
    public static final String SECRET_NAME_UNAVAILABLE = "SecretNameUnavailable";
    public static final String UNAVAILABLE = "ServiceUnavailable";
    public static final String METHOD_NOT_ALLOWED = "MethodNotAllowed";

    private ErrorCodes() {
    }
}
