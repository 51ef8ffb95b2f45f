package dev.datasync.shared.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the caller-controlled fields of a {@code streamMessage}: used by PopulateDataStream before anything is
 * written, and again by the delivering functions on what they read from a stream (a stream may hold messages
 * written by older versions or by hand). Host policy (allow-list, private addresses) is {@code TargetGuard}'s job.
 * <p>
 * {@code fieldPrefix} is prepended to field names in errors (e.g. {@code "streamMessage"}).
 */
public final class StreamMessageValidator {

    public static final Set<String> OPERATIONS = Set.of("POST", "PUT", "PATCH", "DELETE");

    /**
     * Headers a message may not set: {@code Authorization} because tokens travel only through the request header
     * and Vault (a second one next to the Vault token would leave the target to pick one), {@code Idempotency-Key} because it is always the syncId, and the
     * connection-level headers the JDK HTTP client sets itself (it throws on them).
     */
    static final Set<String> RESERVED_HEADERS = Set.of("authorization", "idempotency-key", "host", "content-length",
            "connection", "expect", "upgrade", "transfer-encoding", "te", "trailer", "keep-alive",
            "proxy-authorization", "proxy-connection");

    /** OCI secret names: letters, digits, hyphen, underscore, period; we cap the length at 255. */
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    /** RFC 7230 token characters for header names. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

    private StreamMessageValidator() {
    }

    /**
     * Validates a {@code streamMessage} JSON node; on success the result is normalised (empty vaultSecretName
     * treated as absent, headers defaulted to an empty list). syncId/receivedAt/sourceId present in the node are
     * carried over (a sync request has them removed before, {@link SyncRequestReader}); a sourceId present must be
     * a source id, since it decides whose Vault secret a delivery reads.
     */
    public static Validated<StreamMessage> validate(JsonNode node, boolean allowHttp, String fieldPrefix) {
        String p = fieldPrefix == null || fieldPrefix.isEmpty() ? "" : fieldPrefix + ".";
        if (node == null || node.isMissingNode() || node.isNull()) {
            return Validated.refused(ErrorCodes.MISSING_FIELD, "streamMessage is required", fieldPrefix);
        }
        if (!node.isObject()) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, "streamMessage must be a JSON object", fieldPrefix);
        }

        // vaultSecretName: optional; "" or null mean "no token"
        String secretName = null;
        JsonNode sn = node.get(StreamMessage.VAULT_SECRET_NAME);
        if (sn != null && !sn.isNull()) {
            if (!sn.isTextual()) {
                return Validated.refused(ErrorCodes.INVALID_FIELD, "vaultSecretName must be a string",
                        p + StreamMessage.VAULT_SECRET_NAME);
            }
            if (!sn.asText().isEmpty()) {
                if (!SECRET_NAME.matcher(sn.asText()).matches()) {
                    return Validated.refused(ErrorCodes.INVALID_FIELD,
                            "vaultSecretName may contain only letters, digits, '.', '_' and '-' (at most 255)",
                            p + StreamMessage.VAULT_SECRET_NAME);
                }
                secretName = sn.asText();
            }
        }

        JsonNode source = node.get(StreamMessage.SOURCE_ID);
        if (source != null && !(source.isTextual() && SourcePolicy.isValidId(source.asText()))) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, "sourceId is not a source id",
                    p + StreamMessage.SOURCE_ID);
        }

        JsonNode target = node.get(StreamMessage.TARGET_REST_API);
        if (target == null || target.isNull() || (target.isTextual() && target.asText().isBlank())) {
            return Validated.refused(ErrorCodes.MISSING_FIELD, "targetRestApi is required",
                    p + StreamMessage.TARGET_REST_API);
        }
        if (!target.isTextual()) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, "targetRestApi must be a string",
                    p + StreamMessage.TARGET_REST_API);
        }
        String targetError = targetProblem(target.asText(), allowHttp);
        if (targetError != null) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, targetError, p + StreamMessage.TARGET_REST_API);
        }

        JsonNode op = node.get(StreamMessage.TARGET_REST_API_OPERATION);
        if (op == null || op.isNull()) {
            return Validated.refused(ErrorCodes.MISSING_FIELD, "targetRestApiOperation is required",
                    p + StreamMessage.TARGET_REST_API_OPERATION);
        }
        // exactly as written: HTTP methods are case-sensitive, and "post" would be sent as a method the target
        // may not know
        String operation = op.isTextual() ? op.asText() : "";
        if (!OPERATIONS.contains(operation)) {
            return Validated.refused(ErrorCodes.INVALID_FIELD,
                    "targetRestApiOperation must be one of POST, PUT, PATCH, DELETE",
                    p + StreamMessage.TARGET_REST_API_OPERATION);
        }

        List<Header> headers = new ArrayList<>();
        JsonNode hs = node.get(StreamMessage.TARGET_REST_API_HEADERS);
        String hp = p + StreamMessage.TARGET_REST_API_HEADERS;
        if (hs != null && !hs.isNull()) {
            if (!hs.isArray()) {
                return Validated.refused(ErrorCodes.INVALID_FIELD,
                        "targetRestApiHeaders must be an array of {key, value}", hp);
            }
            for (int i = 0; i < hs.size(); i++) {
                JsonNode h = hs.get(i);
                String at = hp + "[" + i + "]";
                if (!h.isObject() || !h.path("key").isTextual() || !h.path("value").isTextual()) {
                    return Validated.refused(ErrorCodes.INVALID_FIELD,
                            "each targetRestApiHeaders entry must be {\"key\": string, \"value\": string}", at);
                }
                String key = h.get("key").asText();
                String value = h.get("value").asText();
                if (!HEADER_NAME.matcher(key).matches()) {
                    return Validated.refused(ErrorCodes.INVALID_FIELD, "header name is not a valid HTTP token",
                            at + ".key");
                }
                if (!isSendableHeaderValue(value)) {
                    return Validated.refused(ErrorCodes.INVALID_FIELD, "header values may contain only printable"
                            + " US-ASCII characters and tabs", at + ".value");
                }
                String lower = key.toLowerCase(Locale.ROOT);
                if (lower.equals("authorization")) {
                    return Validated.refused(ErrorCodes.FORBIDDEN_HEADER,
                            "Authorization may not be set in targetRestApiHeaders: send it as the request's "
                                    + "Authorization header with a vaultSecretName", at + ".key");
                }
                if (RESERVED_HEADERS.contains(lower)) {
                    return Validated.refused(ErrorCodes.FORBIDDEN_HEADER,
                            "header '" + key + "' is set by the delivery and may not be given", at + ".key");
                }
                headers.add(new Header(key, value));
            }
        }

        try {
            DeliverAfter.of(node);
        } catch (IllegalArgumentException e) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, e.getMessage(), p + DeliverAfter.FIELD);
        }
        try {
            CallbackUrl.of(node, allowHttp);
        } catch (IllegalArgumentException e) {
            return Validated.refused(ErrorCodes.INVALID_FIELD, e.getMessage(), p + CallbackUrl.FIELD);
        }

        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!StreamMessage.KNOWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        StreamMessage structural = StreamMessage.fromJson(node);
        return Validated.ok(new StreamMessage(secretName, target.asText(), operation,
                node.get(StreamMessage.TARGET_REST_API_PAYLOAD), headers, structural.syncId(),
                structural.receivedAt(), structural.sourceId(), structural.traceparent(), extra));
    }

    /** Why a target URL is not acceptable, or null when its form is fine (host policy is checked elsewhere). */
    public static String targetProblem(String target, boolean allowHttp) {
        return urlProblem(StreamMessage.TARGET_REST_API, target, allowHttp);
    }

    /**
     * Why a URL the delivery is to call ({@code targetRestApi}, {@code callbackUrl}) is not acceptable, or null when
     * its form is fine; {@code field} names it in the answer.
     */
    public static String urlProblem(String field, String target, boolean allowHttp) {
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            return field + " is not a valid URL";
        }
        if (!uri.isAbsolute() || uri.getScheme() == null) {
            return field + " must be an absolute URL";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            if (!allowHttp) {
                return field + " must use https";
            }
        } else if (!scheme.equals("https")) {
            return field + " must use https";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return field + " must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return field + " may not carry credentials (user info)";
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            return field + " has a port outside 1-65535";
        }
        return null;
    }

    /**
     * Whether a header value can reach a target exactly as given: printable US-ASCII and tabs only. Anything else
     * is refused rather than sent altered (HTTP clients replace non-ASCII characters with '?') or not at all.
     */
    public static boolean isSendableHeaderValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
