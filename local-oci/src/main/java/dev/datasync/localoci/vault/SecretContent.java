package dev.datasync.localoci.vault;

import com.oracle.bmc.vault.model.Base64SecretContentDetails;
import com.oracle.bmc.vault.model.SecretContentDetails;
import dev.datasync.localoci.http.OciException;

import java.util.Base64;

/**
 * Checks secret content the way OCI does: {@code content} must be base64 (OCI answers
 * {@code 400 InvalidParameter "content has an invalid format"} otherwise, see oracle/oci-powershell-modules#116).
 * The content is kept as the caller's base64 text; OCI returns it verbatim. Messages never include the content.
 */
public final class SecretContent {
    /** Largest decoded secret (OCI's figure is commonly quoted as 25 KB; not confirmed in a primary source). */
    public static final int MAX_DECODED_BYTES = 25 * 1024;

    private SecretContent() {}

    /** The validated base64 text of {@code details}. */
    public static String validate(SecretContentDetails details) {
        if (!(details instanceof Base64SecretContentDetails base64)) {
            throw OciException.invalidParameter("secretContent.contentType must be BASE64");
        }
        String content = base64.getContent();
        if (content == null || content.isEmpty()) {
            throw OciException.invalidParameter("secretContent.content is required");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(content);
        } catch (IllegalArgumentException e) {
            throw OciException.invalidParameter("content has an invalid format");
        }
        if (decoded.length > MAX_DECODED_BYTES) {
            throw OciException.invalidParameter("content exceeds the maximum secret size of "
                    + MAX_DECODED_BYTES + " bytes");
        }
        String name = base64.getName();
        if (name != null && (name.isEmpty() || name.length() > 255 || !name.matches("[A-Za-z0-9._-]+"))) {
            throw OciException.invalidParameter("secretContent.name may contain only letters, digits, '-', '_' and '.'");
        }
        return content;
    }
}
