package dev.datasync.ingest;

import dev.datasync.shared.config.IngestSettings;
import dev.datasync.shared.contract.SourcePolicy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The objects of one uploaded file, all named from its name {@code incoming/<source id>/<rest>}: its result object
 * {@code results/<source id>/<rest>.jsonl}, where it moves once ingested ({@code processed/<source id>/<rest>}),
 * the marker that continues it in a following invocation ({@code continue/<source id>/<rest>}), and, in the state
 * bucket, the folder of one version's progress ({@code ingest/<sha-256 of name and ETag>/}). The source is the
 * prefix: nothing in the file can name another one. Public for the local runtime's {@code ./datasync ingest}, which
 * follows a file it uploaded.
 */
public record IngestNames(String input, String sourceId, String rest) {

    static final String RESULTS = "results/";
    static final String PROCESSED = "processed/";
    static final String CONTINUE = "continue/";
    static final String STATE = "ingest/";

    /** The names of the file {@code input}, or empty when it is not {@code incoming/<valid source id>/<name>}. */
    public static Optional<IngestNames> ofInput(String input) {
        return under(IngestSettings.INCOMING, input);
    }

    /** The file a continuation marker {@code continue/<source id>/<rest>} stands for. */
    static Optional<IngestNames> ofMarker(String marker) {
        return under(CONTINUE, marker);
    }

    private static Optional<IngestNames> under(String prefix, String name) {
        if (!name.startsWith(prefix)) {
            return Optional.empty();
        }
        String tail = name.substring(prefix.length());
        int slash = tail.indexOf('/');
        if (slash <= 0 || slash == tail.length() - 1) {
            return Optional.empty();
        }
        String source = tail.substring(0, slash);
        if (!SourcePolicy.isValidId(source)) {
            return Optional.empty();
        }
        String rest = tail.substring(slash + 1);
        return Optional.of(new IngestNames(IngestSettings.INCOMING + source + "/" + rest, source, rest));
    }

    public String results() {
        return RESULTS + sourceId + "/" + rest + ".jsonl";
    }

    public String processed() {
        return PROCESSED + sourceId + "/" + rest;
    }

    String marker() {
        return CONTINUE + sourceId + "/" + rest;
    }

    /** The state-bucket folder of version {@code etag} of this file (a hash: names are long, ETags opaque). */
    public String stateFolder(String etag) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((input + "\n" + etag).getBytes(StandardCharsets.UTF_8));
            return STATE + HexFormat.of().formatHex(digest) + "/";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
