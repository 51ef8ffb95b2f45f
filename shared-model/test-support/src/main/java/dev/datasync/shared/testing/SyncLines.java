package dev.datasync.shared.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lines of a bulk file for tests: each one body of the public {@code /stream/sync} contract, like
 * {@code docs/examples/sync-request.json}, numbered so a test can tell which line a delivered message came from.
 */
public final class SyncLines {

    private SyncLines() {
    }

    /** A valid sync request for {@code target} carrying {@code "n": n} in its payload, keyed {@code key}. */
    public static String valid(String key, String target, int n) {
        return "{\"streamKey\":\"" + key + "\",\"streamMessage\":{\"targetRestApi\":\"" + target + "\","
                + "\"targetRestApiOperation\":\"POST\",\"targetRestApiPayload\":{\"orderid\":\"o-" + n + "\",\"n\":" + n
                + "},\"targetRestApiHeaders\":[{\"key\":\"Content-Type\",\"value\":\"application/json\"}]}}";
    }

    /** The same, naming a Vault secret its source stored through /stream/sync. */
    public static String withSecret(String key, String target, int n, String vaultSecretName) {
        return valid(key, target, n).replace("\"streamMessage\":{", "\"streamMessage\":{\"vaultSecretName\":\""
                + vaultSecretName + "\",");
    }

    /** The lines as a JSON Lines file (each ended by a newline). */
    public static byte[] file(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
