package dev.datasync.shared.config;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Bulk ingest: the bucket sources upload JSON Lines files to, the largest file taken, and which object names are
 * files to ingest. {@code objectNamePattern} has the syntax of an OCI Events rule condition value (a {@code *}
 * matches any run of characters, {@code /} included); Terraform puts the same pattern into the Events rule, and the
 * function checks it again, so an event of another rule or a hand-made one cannot make it read another object.
 * Every pattern lies under {@link #INCOMING}: the next path segment names the source.
 */
public record IngestSettings(String bucket, int maxObjectBytes, String objectNamePattern) {

    /** The bucket name shared by Terraform and the local stack (func-configs/README.md). */
    public static final String DEFAULT_BUCKET = "datasync-ingest";
    /** Where sources upload: {@code incoming/<source id>/<file>}. */
    public static final String INCOMING = "incoming/";
    public static final String DEFAULT_PATTERN = INCOMING + "*";
    /** 64 MiB: about 150,000 lines of the public sync request, read in a few invocations. */
    public static final int DEFAULT_MAX_OBJECT_BYTES = 64 * 1024 * 1024;

    public IngestSettings {
        ConfigValues.checkBucket(ConfigKeys.INGEST_BUCKET, bucket);
        if (maxObjectBytes < 1) {
            throw new ConfigException(ConfigKeys.INGEST_MAX_OBJECT_BYTES, maxObjectBytes + " is not a size in bytes");
        }
        if (!objectNamePattern.startsWith(INCOMING) || objectNamePattern.length() > 1024
                || objectNamePattern.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(ConfigKeys.INGEST_OBJECT_NAME_PATTERN, "'" + objectNamePattern + "' must start"
                    + " with " + INCOMING + " (the next segment names the source) and be at most 1024 printable"
                    + " characters");
        }
    }

    /** Whether {@code objectName} matches {@code objectNamePattern} as an Events rule matches it. */
    public boolean admits(String objectName) {
        String regex = Arrays.stream(objectNamePattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*"));
        return Pattern.compile(regex, Pattern.DOTALL).matcher(objectName).matches();
    }
}
