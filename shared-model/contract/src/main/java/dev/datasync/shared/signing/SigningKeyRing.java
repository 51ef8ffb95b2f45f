package dev.datasync.shared.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a source's signing secret in Vault holds (one secret per source, {@link #secretName}): the current secret and,
 * after a rotation, the previous one with the time of the rotation, as JSON
 * {@code {"current":"whsec_…","previous":"whsec_…","rotatedAt":"RFC 3339"}}. A rotation writes a new version of the
 * same Vault secret. A delivery is signed with the current secret and, for {@code signing_rotation_overlap} after
 * {@code rotatedAt}, with the previous one too ({@link #activeAt}), so a receiver that still knows only the previous
 * secret keeps verifying while it changes over.
 *
 * @param previous  null before the first rotation
 * @param rotatedAt null before the first rotation
 */
public record SigningKeyRing(SigningSecret current, SigningSecret previous, Instant rotatedAt) {

    /** The Vault secret names of signing secrets start with this; token secrets start with {@code src.}. */
    public static final String SECRET_PREFIX = "sign.";
    private static final String CURRENT = "current";
    private static final String PREVIOUS = "previous";
    private static final String ROTATED_AT = "rotatedAt";

    public SigningKeyRing {
        Objects.requireNonNull(current, "current");
        if ((previous == null) != (rotatedAt == null)) {
            throw new IllegalArgumentException("a previous secret comes with the time it was replaced");
        }
    }

    /** The ring of a source that has just turned signing on. */
    public static SigningKeyRing first(SigningSecret secret) {
        return new SigningKeyRing(secret, null, null);
    }

    /** The Vault secret holding the ring of {@code sourceId} (a valid source id). */
    public static String secretName(String sourceId) {
        return SECRET_PREFIX + sourceId;
    }

    /** This ring after a rotation to {@code next} at {@code now}: the current secret becomes the previous one. */
    public SigningKeyRing rotatedTo(SigningSecret next, Instant now) {
        return new SigningKeyRing(next, current, now);
    }

    /** The secrets a delivery at {@code now} is signed with: the current one first, then the previous during the overlap. */
    public List<SigningSecret> activeAt(Instant now, Duration overlap) {
        List<SigningSecret> active = new ArrayList<>(2);
        active.add(current);
        if (previous != null && now.isBefore(rotatedAt.plus(overlap))) {
            active.add(previous);
        }
        return List.copyOf(active);
    }

    /** When the previous secret stops being sent, or null when there is none. */
    public Instant overlapEndsAt(Duration overlap) {
        return rotatedAt == null ? null : rotatedAt.plus(overlap);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put(CURRENT, current.text());
        if (previous != null) {
            o.put(PREVIOUS, previous.text());
            o.put(ROTATED_AT, rotatedAt.toString());
        }
        return o;
    }

    /** @throws IllegalArgumentException when the node is not a ring this class wrote (its text never quoted) */
    public static SigningKeyRing fromJson(JsonNode node) {
        if (node == null || !node.isObject() || !node.path(CURRENT).isTextual()) {
            throw new IllegalArgumentException("not a signing key ring");
        }
        SigningSecret current = SigningSecret.parse(node.get(CURRENT).asText());
        if (!node.hasNonNull(PREVIOUS)) {
            return first(current);
        }
        try {
            return new SigningKeyRing(current, SigningSecret.parse(node.path(PREVIOUS).asText()),
                    Instant.parse(node.path(ROTATED_AT).asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a signing key ring's rotatedAt is not a time");
        }
    }
}
