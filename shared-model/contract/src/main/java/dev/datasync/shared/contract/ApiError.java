package dev.datasync.shared.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The error body every function answers with on a rejected request: {@code {"code","message","field"}}, plus
 * {@code "limit"} when a per-source limit refused it ({@code maxSecrets}; the gateway's {@code ratePerSecond}).
 * {@code field} names the offending input as a JSON path (e.g. {@code streamMessage.targetRestApi}, or
 * {@code [2].streamKey} inside an array body), a header name (e.g. {@code Authorization}), or is null when no single
 * field is to blame.
 */
public record ApiError(String code, String message, String field,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String limit) {

    /** The {@code limit} of {@link ErrorCodes#SECRET_LIMIT_EXCEEDED}: the source's live token secrets. */
    public static final String MAX_SECRETS = "maxSecrets";

    public ApiError(String code, String message, String field) {
        this(code, message, field, null);
    }

    /** The same error with its field placed under a prefix, e.g. the index of an item of an array body. */
    public ApiError under(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        String f = field == null ? prefix : (field.startsWith("[") ? prefix + field : prefix + "." + field);
        return new ApiError(code, message, f, limit);
    }
}
