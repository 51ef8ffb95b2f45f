package dev.datasync.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.shared.contract.ApiError;
import dev.datasync.shared.contract.ErrorCodes;
import dev.datasync.shared.contract.StreamMessage;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What in a line of a bulk file looks like a credential. A file sits in a bucket, is copied and kept: it never
 * carries a token (a line names a secret its source stored through {@code /stream/sync} instead). Refused:
 * <ul>
 *   <li>a field named like a credential ({@code token}, {@code accessToken}, {@code Authorization}, {@code apiKey},
 *   {@code password}, {@code secret}…, in any case, with or without {@code -}/{@code _}) in the line or its
 *   {@code streamMessage}, where it would be stored and sent along;</li>
 *   <li>a header of {@code targetRestApiHeaders} named like one ({@code Authorization}, {@code Cookie},
 *   {@code X-Api-Key}…);</li>
 *   <li>anywhere, the payload included, a text value that is an HTTP credential ({@code Bearer …}, {@code Basic …})
 *   or a JSON Web Token ({@code eyJ….….…}). The payload's field names are the target's business and are not
 *   judged ({@code "password"} may be a field of a user-provisioning API); its values are.</li>
 * </ul>
 * The field of the error is the JSON path of the first one found.
 */
final class CredentialScan {

    private static final Set<String> NAMES = Set.of("authorization", "proxyauthorization", "token", "accesstoken",
            "idtoken", "refreshtoken", "bearertoken", "authtoken", "sessiontoken", "apitoken", "apikey", "xapikey",
            "secret", "clientsecret", "password", "passwd", "credential", "credentials", "cookie", "privatekey",
            "xauthtoken", "xaccesstoken", "xamzsecuritytoken");
    /** An Authorization value: the scheme, then one token68 word (RFC 9110), nothing else. */
    private static final Pattern HTTP_CREDENTIAL =
            Pattern.compile("(?i)^\\s*(bearer|basic)\\s+[A-Za-z0-9._~+/-]+=*\\s*$");
    private static final Pattern JWT =
            Pattern.compile("^eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*$");

    private CredentialScan() {
    }

    /** The first credential-looking thing of a line (a JSON object), as the line's error. */
    static Optional<ApiError> find(JsonNode line) {
        Optional<String> at = namedField(line, "");
        if (at.isEmpty()) {
            JsonNode message = line.path("streamMessage");
            at = namedField(message, "streamMessage.");
            if (at.isEmpty()) {
                at = namedHeader(message.path(StreamMessage.TARGET_REST_API_HEADERS));
            }
            if (at.isEmpty()) {
                at = credentialValue(line, "");
            }
        }
        return at.map(field -> new ApiError(ErrorCodes.CREDENTIAL_NOT_ALLOWED, "a bulk file never carries a"
                + " credential: name a vaultSecretName your source stored through /stream/sync instead", field));
    }

    private static Optional<String> namedField(JsonNode object, String prefix) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (looksLikeCredential(name)) {
                return Optional.of(prefix + name);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> namedHeader(JsonNode headers) {
        for (int i = 0; i < headers.size(); i++) {
            if (looksLikeCredential(headers.get(i).path("key").asText(""))) {
                return Optional.of("streamMessage." + StreamMessage.TARGET_REST_API_HEADERS + "[" + i + "].key");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> credentialValue(JsonNode node, String path) {
        if (node.isTextual()) {
            String v = node.asText();
            return HTTP_CREDENTIAL.matcher(v).matches() || JWT.matcher(v).matches() ? Optional.of(path)
                    : Optional.empty();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<String> found = credentialValue(node.get(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Optional<String> found = credentialValue(e.getValue(), path.isEmpty() ? e.getKey()
                        : path + "." + e.getKey());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean looksLikeCredential(String name) {
        return NAMES.contains(name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", ""));
    }
}
