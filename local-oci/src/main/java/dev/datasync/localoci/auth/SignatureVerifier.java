package dev.datasync.localoci.auth;

import com.sun.net.httpserver.Headers;
import dev.datasync.localoci.http.OciException;
import dev.datasync.localoci.http.SigningStrategy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies OCI request signatures (draft-cavage HTTP Signatures, rsa-sha256, version 1), reference §6:
 * the signing string is rebuilt from the received headers in the order of {@code headers="..."}, the method's
 * required header set must be covered, a signed {@code x-content-sha256} must equal the body's digest, and the
 * {@code date} must be within {@link #MAX_SKEW} of the wall clock. Every failure is 401 NotAuthenticated
 * with a message that names the problem but never echoes the signature or key material.
 */
public final class SignatureVerifier {
    /** OCI rejects requests whose date is too far off; 5 minutes is the commonly quoted window. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final Map<String, PublicKey> keysById;

    public SignatureVerifier(Map<String, PublicKey> keysById) {
        this.keysById = Map.copyOf(keysById);
    }

    public void verify(String method, String rawPath, String rawQuery, Headers headers, byte[] body,
                       SigningStrategy strategy) {
        String authorization = headers.getFirst("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw OciException.notAuthenticated("The required information to complete authentication was not provided.");
        }
        AuthorizationHeader auth = AuthorizationHeader.parse(authorization);
        if (!"rsa-sha256".equals(auth.algorithm())) {
            throw OciException.notAuthenticated("Unsupported signature algorithm");
        }
        if (auth.version() != null && !"1".equals(auth.version())) {
            throw OciException.notAuthenticated("Unsupported signature version");
        }
        PublicKey key = keysById.get(auth.keyId());
        if (key == null) {
            throw OciException.notAuthenticated("The key id is not known to this service");
        }
        List<String> signed = auth.headers();
        for (String required : strategy.requiredHeaders(method)) {
            if (!signed.contains(required)) {
                throw OciException.notAuthenticated("Header '" + required + "' must be signed");
            }
        }
        StringBuilder signingString = new StringBuilder();
        for (String name : signed) {
            String value;
            if (name.equals("(request-target)")) {
                value = method.toLowerCase(Locale.ROOT) + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
            } else {
                value = headers.getFirst(name);
                if (value == null) {
                    throw OciException.notAuthenticated("Signed header '" + name + "' is missing from the request");
                }
            }
            if (signingString.length() > 0) {
                signingString.append('\n');
            }
            signingString.append(name).append(": ").append(value);
        }
        if (!signatureMatches(key, signingString.toString(), auth.signature())) {
            throw OciException.notAuthenticated("The request signature does not verify");
        }
        if (signed.contains("x-content-sha256")) {
            checkBodyDigest(headers.getFirst("x-content-sha256"), body);
        }
        if (signed.contains("content-length")) {
            checkContentLength(headers.getFirst("content-length"), body);
        }
        checkDate(headers.getFirst("date")); // "date" is in every required header set
    }

    private static boolean signatureMatches(PublicKey key, String signingString, String signatureBase64) {
        try {
            byte[] signature = Base64.getDecoder().decode(signatureBase64);
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update(signingString.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (IllegalArgumentException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static void checkBodyDigest(String claimed, byte[] body) {
        try {
            byte[] actual = MessageDigest.getInstance("SHA-256").digest(body);
            byte[] expected = Base64.getDecoder().decode(claimed);
            if (!MessageDigest.isEqual(actual, expected)) {
                throw OciException.notAuthenticated("x-content-sha256 does not match the request body");
            }
        } catch (IllegalArgumentException e) {
            throw OciException.notAuthenticated("x-content-sha256 is not base64");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkContentLength(String claimed, byte[] body) {
        if (!String.valueOf(body.length).equals(claimed == null ? null : claimed.trim())) {
            throw OciException.notAuthenticated("content-length does not match the request body");
        }
    }

    private static void checkDate(String date) {
        try {
            Instant at = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            if (Duration.between(at, Instant.now()).abs().compareTo(MAX_SKEW) > 0) {
                throw OciException.notAuthenticated("The request date is outside the allowed clock skew");
            }
        } catch (DateTimeParseException e) {
            throw OciException.notAuthenticated("The date header is not an RFC 1123 date");
        }
    }

    /** The parsed {@code Authorization: Signature k="v",...} header. */
    record AuthorizationHeader(String keyId, String algorithm, List<String> headers, String signature, String version) {
        static AuthorizationHeader parse(String header) {
            String trimmed = header.trim();
            if (!trimmed.regionMatches(true, 0, "Signature ", 0, 10)) {
                throw OciException.notAuthenticated("Authorization scheme must be Signature");
            }
            java.util.Map<String, String> params = new java.util.HashMap<>();
            String rest = trimmed.substring(10).trim();
            int i = 0;
            while (i < rest.length()) {
                int eq = rest.indexOf('=', i);
                if (eq < 0 || eq + 1 >= rest.length() || rest.charAt(eq + 1) != '"') {
                    throw OciException.notAuthenticated("Malformed Authorization header");
                }
                int close = rest.indexOf('"', eq + 2);
                if (close < 0) {
                    throw OciException.notAuthenticated("Malformed Authorization header");
                }
                params.put(rest.substring(i, eq).trim(), rest.substring(eq + 2, close));
                i = close + 1;
                while (i < rest.length() && (rest.charAt(i) == ',' || rest.charAt(i) == ' ')) {
                    i++;
                }
            }
            String keyId = params.get("keyId");
            String signature = params.get("signature");
            if (keyId == null || signature == null || keyId.isEmpty() || signature.isEmpty()) {
                throw OciException.notAuthenticated("Authorization header lacks keyId or signature");
            }
            String headerList = params.getOrDefault("headers", "date");
            return new AuthorizationHeader(keyId, params.get("algorithm"),
                    Arrays.asList(headerList.trim().toLowerCase(Locale.ROOT).split("\\s+")), signature,
                    params.get("version"));
        }
    }
}
