package dev.datasync.shared.signing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Signs deliveries the Standard Webhooks way (https://www.standardwebhooks.com/): the signed content is
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, each signature {@code v1,<base64 of its HMAC-SHA256>}, several
 * signatures separated by a space in {@code webhook-signature}. One instance per set of active secrets, shared by
 * the delivery's threads: each signature clones a {@link Mac} initialised once, so no key is set up per message.
 */
public final class WebhookSigner {

    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";
    /** The header names a signed delivery sets, lower case: a message's own headers of these names are not sent. */
    public static final List<String> HEADERS = List.of(WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE);

    private static final String HMAC = "HmacSHA256";
    private static final byte[] DOT = {'.'};

    private final List<Mac> macs;

    /** @param secrets the active secrets, the current one first (never empty) */
    public WebhookSigner(List<SigningSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a signer needs a secret");
        }
        List<Mac> initialised = new ArrayList<>(secrets.size());
        for (SigningSecret s : secrets) {
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(s.key(), HMAC));
                initialised.add(mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
        this.macs = List.copyOf(initialised);
    }

    /** How many signatures each delivery carries (2 during a rotation's overlap). */
    public int signatures() {
        return macs.size();
    }

    /**
     * The {@code webhook-signature} value for one attempt.
     *
     * @param body the bytes sent, null when the request has no body (signed as empty)
     */
    public String sign(String id, long timestampSeconds, byte[] body) {
        byte[] prefix = (id + "." + timestampSeconds).getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(48 * macs.size());
        for (Mac prototype : macs) {
            Mac mac = copy(prototype);
            mac.update(prefix);
            mac.update(DOT);
            if (body != null) {
                mac.update(body);
            }
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return header.toString();
    }

    private static Mac copy(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the HMAC provider cannot copy an initialised Mac", e);
        }
    }
}
