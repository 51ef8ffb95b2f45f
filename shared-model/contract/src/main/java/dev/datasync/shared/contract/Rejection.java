package dev.datasync.shared.contract;

/** An {@link ApiError} together with the HTTP status it is answered with (400, 401, 409, 503 ...). */
public record Rejection(int status, ApiError error) {

    public static Rejection badRequest(String code, String message, String field) {
        return new Rejection(400, new ApiError(code, message, field));
    }
}
