package dev.datasync.shared.rules;

import dev.datasync.shared.contract.Header;
import dev.datasync.shared.contract.StreamMessage;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one document a source's rules are evaluated against:
 * {@code {"payload": …, "key": …, "source": …, "syncId": …, "receivedAt": …, "headers": {…}}} — the
 * payload as received, the streamKey, the source id, the syncId, when it was accepted (RFC 3339) and the message's
 * {@code targetRestApiHeaders} as {@code {name: value}}. The caller's token is never in it: it lives in Vault and is
 * added to the call after the rules ran, and a header whose name says it carries a credential is left out here even
 * though the contract already refuses {@code Authorization} in a message's headers.
 */
public final class RulesDocument {

    /** Header names the rules never see: credentials by name, and the pipeline's own headers. */
    private static final Pattern SECRET_HEADER = Pattern.compile(
            "authorization|proxy-authorization|cookie|set-cookie|x-datasync-.*|.*(token|secret|credential|password"
                    + "|api-?key|signature|session).*");

    private RulesDocument() {
    }

    /** @throws IOException when the payload cannot be read back (a stored message that is not JSON: not here) */
    public static Map<String, Object> of(StreamMessage message, String streamKey) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("payload", JsonValues.toJava(message.targetRestApiPayload()));
        doc.put("key", streamKey);
        doc.put("source", message.sourceId());
        doc.put("syncId", message.syncId());
        doc.put("receivedAt", message.receivedAt() == null ? null : message.receivedAt().toString());
        Map<String, Object> headers = new LinkedHashMap<>();
        for (Header h : message.targetRestApiHeaders()) {
            if (h.key() != null && !isSecret(h.key())) {
                headers.put(h.key(), h.value());
            }
        }
        doc.put("headers", headers);
        return doc;
    }

    static boolean isSecret(String headerName) {
        return SECRET_HEADER.matcher(headerName.toLowerCase(Locale.ROOT)).matches();
    }
}
