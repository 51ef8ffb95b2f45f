package dev.datasync.shared.contract;

/**
 * The error body every function answers with on a rejected request: {@code {"code","message","field"}}.
 * {@code field} names the offending input as a JSON path (e.g. {@code streamMessage.targetRestApi}, or
 * {@code [2].streamKey} inside an array body), or is null when no single field is to blame.
 */
public record ApiError(String code, String message, String field) {

    /** The same error with its field placed under a prefix, e.g. the index of an item of an array body. */
    public ApiError under(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        String f = field == null ? prefix : (field.startsWith("[") ? prefix + field : prefix + "." + field);
        return new ApiError(code, message, f);
    }
}
