package dev.datasync.shared.config;

import java.time.Duration;

/**
 * Signed deliveries of the sources that turned signing on: after a rotation ({@code ./datasync sources sign NAME}, or
 * a new version of the source's {@code sign.<id>} secret), deliveries carry the previous secret's signature beside
 * the new one for {@code overlap}, so a receiver can change over without refusing a delivery.
 *
 * @param rotationOverlap {@code signing_rotation_overlap}
 */
public record SigningSettings(Duration rotationOverlap) {

    public static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
    /**
     * Shortest overlap (for tests): a delivering container keeps a source's secrets for a minute, so in production an
     * overlap shorter than that lets a container sign with the old secret alone after the overlap has begun.
     */
    public static final Duration SHORTEST_OVERLAP = Duration.ofSeconds(1);
    /** A week: an old secret kept signing longer is no longer a rotation. */
    public static final Duration LONGEST_OVERLAP = Duration.ofDays(7);

    public static final SigningSettings DEFAULT = new SigningSettings(DEFAULT_OVERLAP);
}
