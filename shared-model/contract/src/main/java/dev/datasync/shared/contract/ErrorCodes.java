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
    /** No verified source id reached the function (the gateway refuses a missing or bad source credential). */
    public static final String UNAUTHORIZED = "Unauthorized";
    /** {@code /stream/sync} takes {@code Content-Type: application/json} only. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    /** The request would give its source more live token secrets than its {@code maxSecrets}. */
    public static final String SECRET_LIMIT_EXCEEDED = "SecretLimitExceeded";
    /** The source used this {@code Idempotency-Key} for another body within the idempotency window (409). */
    public static final String IDEMPOTENCY_KEY_REUSE = "IdempotencyKeyReuse";
    /** A request with this {@code Idempotency-Key} is being written now; ask again after Retry-After (409). */
    public static final String IDEMPOTENCY_KEY_IN_PROGRESS = "IdempotencyKeyInProgress";
    /** A replay of the same error-stream partition (or the redrive pass over it) is running: 409, Retry-After. */
    public static final String REPLAY_IN_PROGRESS = "ReplayInProgress";
    /** A line of a bulk file carries what looks like a credential (a file never carries tokens). */
    public static final String CREDENTIAL_NOT_ALLOWED = "CredentialNotAllowed";
    /** A line of a bulk file names a {@code vaultSecretName} its source never stored through {@code /stream/sync}. */
    public static final String UNKNOWN_SECRET_NAME = "UnknownSecretName";
    /** A bulk file whose first line is no JSON object in strict UTF-8 (nothing of it is written). */
    public static final String NOT_JSON_LINES = "NotJsonLines";
    /** A bulk file without a line. */
    public static final String EMPTY_FILE = "EmptyFile";
    /** A bulk file under the prefix of no registered source. */
    public static final String UNKNOWN_SOURCE = "UnknownSource";

    private ErrorCodes() {
    }
}
