package dev.datasync.shared.retry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.Validated;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.retry.internal.ErrorMapping;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks a retry request. Every refusal names its field; fields it does not know are ignored. Which streams may be read
 * ({@code retryable_stream_ocids}) and written ({@code errormapping} may only name streams the application routes
 * to or may replay) is decided here too, so a caller cannot make the function read or fill arbitrary streams.
 */
public final class RetryRequestReader {

    /** GetMessages takes at most 10,000 per call; one retry call processes at most that many. */
    public static final int MAX_MESSAGES = 10_000;

    private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern CLASS = Pattern.compile("[1-5]xx");
    private static final Pattern PARTITION = Pattern.compile("[0-9]{1,9}");

    private final Set<String> retryable;
    private final Set<String> writable;

    /**
     * @param retryable streams that may be replayed
     * @param writable  streams an errormapping may name (the application's error streams and the retryable ones)
     */
    public RetryRequestReader(Set<String> retryable, Set<String> writable) {
        this.retryable = Set.copyOf(retryable);
        Set<String> w = new HashSet<>(writable);
        w.addAll(retryable);
        this.writable = Set.copyOf(w);
    }

    public Validated<RetryRequest> read(byte[] body) {
        JsonNode root;
        try {
            root = Json.parse(body);
        } catch (IOException e) {
            return refused(ErrorCodes.MALFORMED_JSON, "the body is not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            return refused(ErrorCodes.MALFORMED_JSON, "the body must be a JSON object", null);
        }
        // Fields other than the known ones are ignored (and never echoed): the public contract says new optional
        // fields may be added, and a client sending one must keep working with this version.

        JsonNode s = root.get("streamOCIDToRetry");
        if (s == null || s.isNull() || (s.isTextual() && s.asText().isBlank())) {
            return refused(ErrorCodes.MISSING_FIELD, "streamOCIDToRetry is required", "streamOCIDToRetry");
        }
        if (!s.isTextual()) {
            return refused(ErrorCodes.INVALID_FIELD, "streamOCIDToRetry must be a string", "streamOCIDToRetry");
        }
        String stream = s.asText();
        if (!retryable.contains(stream)) {
            return refused(ErrorCodes.INVALID_FIELD,
                    "streamOCIDToRetry is not a stream that may be retried (see retryable_stream_ocids)",
                    "streamOCIDToRetry");
        }

        Long count = integer(root.get("noOfMessagesToProcess"));
        if (root.get("noOfMessagesToProcess") == null || root.get("noOfMessagesToProcess").isNull()) {
            return refused(ErrorCodes.MISSING_FIELD, "noOfMessagesToProcess is required", "noOfMessagesToProcess");
        }
        if (count == null || count < 1 || count > MAX_MESSAGES) {
            return refused(ErrorCodes.INVALID_FIELD, "noOfMessagesToProcess must be a whole number from 1 to "
                    + MAX_MESSAGES, "noOfMessagesToProcess");
        }

        if (root.get("readAfterOffset") == null || root.get("readAfterOffset").isNull()) {
            return refused(ErrorCodes.MISSING_FIELD, "readAfterOffset is required (-1 for the oldest message)",
                    "readAfterOffset");
        }
        Long after = integer(root.get("readAfterOffset"));
        if (after == null || after < -1) {
            return refused(ErrorCodes.INVALID_FIELD, "readAfterOffset must be a whole number >= -1 (-1 = oldest)",
                    "readAfterOffset");
        }

        JsonNode p = root.get("readPartition");
        if (p == null || p.isNull()) {
            return refused(ErrorCodes.MISSING_FIELD, "readPartition is required", "readPartition");
        }
        String partition = p.isIntegralNumber() ? p.asText() : p.isTextual() ? p.asText().strip() : null;
        if (partition == null || !PARTITION.matcher(partition).matches()) {
            return refused(ErrorCodes.INVALID_FIELD, "readPartition must be a partition number such as \"0\"",
                    "readPartition");
        }

        List<ErrorMapping> mappings = new ArrayList<>();
        JsonNode em = root.get("errormapping");
        if (em != null && !em.isNull()) {
            if (!em.isArray()) {
                return refused(ErrorCodes.INVALID_FIELD, "errormapping must be an array of {responsecode, stream}",
                        "errormapping");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < em.size(); i++) {
                JsonNode m = em.get(i);
                String at = "errormapping[" + i + "]";
                if (!m.isObject()) {
                    return refused(ErrorCodes.INVALID_FIELD, "each errormapping entry must be {responsecode, stream}",
                            at);
                }
                JsonNode rc = m.get("responsecode");
                String code = rc == null || rc.isNull() ? null
                        : rc.isIntegralNumber() || rc.isTextual() ? rc.asText().strip() : null;
                if (code == null || !(STATUS.matcher(code).matches() || CLASS.matcher(code).matches()
                        || ErrorMapping.KINDS.contains(code) || code.equals(ErrorMapping.UNEXPECTED_ERROR))) {
                    return refused(ErrorCodes.INVALID_FIELD, "responsecode must be an HTTP status (404), a class "
                            + "(5xx), network, timeout, invalid or unexpectedError", at + ".responsecode");
                }
                if (code.startsWith("2")) {
                    return refused(ErrorCodes.INVALID_FIELD, "responsecode " + code + " is a success, not a failure",
                            at + ".responsecode");
                }
                if (!seen.add(code)) {
                    return refused(ErrorCodes.INVALID_FIELD, "responsecode " + code + " is mapped twice",
                            at + ".responsecode");
                }
                JsonNode st = m.get("stream");
                if (st == null || !st.isTextual() || st.asText().isBlank()) {
                    return refused(ErrorCodes.MISSING_FIELD, "stream is required", at + ".stream");
                }
                if (!writable.contains(st.asText())) {
                    return refused(ErrorCodes.INVALID_FIELD,
                            "stream is not one of the application's error streams", at + ".stream");
                }
                mappings.add(new ErrorMapping(code, st.asText()));
            }
        }
        return Validated.ok(new RetryRequest(stream, count.intValue(), after, partition, mappings));
    }

    /** A whole number given as a JSON integer or a string of digits (older clients sent strings); else null. */
    private static Long integer(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? n.asLong() : null;
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.asText().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Validated<RetryRequest> refused(String code, String message, String field) {
        return Validated.refused(new ApiError(code, message, field));
    }
}
