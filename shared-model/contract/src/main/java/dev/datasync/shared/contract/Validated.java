package dev.datasync.shared.contract;

/** Result of validating untrusted input: either a value or the {@link ApiError} explaining the refusal. */
public record Validated<T>(T value, ApiError error) {

    public static <T> Validated<T> ok(T value) {
        return new Validated<>(value, null);
    }

    public static <T> Validated<T> refused(String code, String message, String field) {
        return new Validated<>(null, new ApiError(code, message, field));
    }

    public static <T> Validated<T> refused(ApiError error) {
        return new Validated<>(null, error);
    }

    public boolean isOk() {
        return error == null;
    }
}
