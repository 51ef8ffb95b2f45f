package dev.datasync.localoci;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs raw {@code java.net.http} requests the way the OCI SDK does, so tests can send what the SDK never
 * would (missing/forged/malformed signatures, tampered bodies, foreign keys).
 */
public final class RawSignedRequests {
    private final PrivateKey key;
    private final String keyId;

    public RawSignedRequests(PrivateKey key, String keyId) {
        this.key = key;
        this.keyId = keyId;
    }

    /** Signer with the emulator's own key (read from its data directory). */
    public static RawSignedRequests forEmulator(LocalOci oci) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        for (String line : Files.readAllLines(oci.configFile())) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                config.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new RawSignedRequests(readKey(Path.of(config.get("key_file"))),
                config.get("tenancy") + "/" + config.get("user") + "/" + config.get("fingerprint"));
    }

    public static PrivateKey readKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    public String keyId() {
        return keyId;
    }

    /** Headers (incl. Authorization) for a signed request; {@code signedBody} is what the digest covers. */
    public Map<String, String> sign(String method, URI uri, byte[] signedBody, boolean includeBodyHeaders)
            throws Exception {
        return sign(method, uri, signedBody, includeBodyHeaders, ZonedDateTime.now(ZoneOffset.UTC));
    }

    public Map<String, String> sign(String method, URI uri, byte[] signedBody, boolean includeBodyHeaders,
                                    ZonedDateTime date) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("date", DateTimeFormatter.RFC_1123_DATE_TIME.format(date));
        headers.put("host", uri.getHost() + ":" + uri.getPort());
        List<String> names = new java.util.ArrayList<>(List.of("date", "(request-target)", "host"));
        if (includeBodyHeaders) {
            headers.put("content-length", String.valueOf(signedBody.length));
            headers.put("content-type", "application/json");
            headers.put("x-content-sha256",
                    Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(signedBody)));
            names.addAll(List.of("content-length", "content-type", "x-content-sha256"));
        }
        StringBuilder signing = new StringBuilder();
        for (String name : names) {
            String value = name.equals("(request-target)")
                    ? method.toLowerCase() + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    : headers.get(name);
            if (signing.length() > 0) {
                signing.append('\n');
            }
            signing.append(name).append(": ").append(value);
        }
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signing.toString().getBytes(StandardCharsets.UTF_8));
        String signature = Base64.getEncoder().encodeToString(rsa.sign());
        headers.put("authorization", "Signature headers=\"" + String.join(" ", names) + "\",keyId=\"" + keyId
                + "\",algorithm=\"rsa-sha256\",signature=\"" + signature + "\",version=\"1\"");
        return headers;
    }

    /** A request builder carrying the given headers, except the restricted ones java.net.http sets itself. */
    public static HttpRequest.Builder withHeaders(HttpRequest.Builder builder, Map<String, String> headers) {
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase();
            if (name.equals("host") || name.equals("content-length")) {
                continue; // restricted in java.net.http: it sends host and content-length itself
            }
            builder.header(h.getKey(), h.getValue());
        }
        return builder;
    }
}
