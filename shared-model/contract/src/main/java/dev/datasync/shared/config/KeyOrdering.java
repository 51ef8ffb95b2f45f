package dev.datasync.shared.config;

/**
 * Per-key order across batches ({@code key_ordering}) and what becomes of the messages held behind a blocker that
 * will never be delivered, dead-lettered or unrecoverable ({@code held_on_dead_letter}).
 */
public record KeyOrdering(boolean enabled, HeldOnDeadLetter heldOnDeadLetter) {

    public static final KeyOrdering DEFAULT = new KeyOrdering(true, HeldOnDeadLetter.RELEASE);

    /** The messages held behind a blocker that ends dead-lettered or unrecoverable. */
    public enum HeldOnDeadLetter {
        /** They are delivered in order after it (the blocker's end is logged with them). */
        RELEASE("release"),
        /** They end with it, {@code deadLetterReason} {@code blockerDeadLettered}. */
        DEAD_LETTER("deadLetter");

        private final String value;

        HeldOnDeadLetter(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        static HeldOnDeadLetter parse(String raw) {
            for (HeldOnDeadLetter h : values()) {
                if (h.value.equals(raw)) {
                    return h;
                }
            }
            throw new ConfigException(ConfigKeys.HELD_ON_DEAD_LETTER, "'" + raw + "' is not " + RELEASE.value
                    + " or " + DEAD_LETTER.value);
        }
    }
}
