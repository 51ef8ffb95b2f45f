package dev.datasync.shared.rules;

/**
 * What a source's rules made of one message, under rules version {@code version}: send it with {@code body} (the
 * transform's value as JSON, or the payload as received when there is no transform), drop it (the filter said
 * false), or route it as {@code transformFailed} with {@code reason}.
 */
public sealed interface RulesVerdict {

    String version();

    /** Deliver; {@code body} null: deliver the payload as received (no transform). */
    record Send(String version, byte[] body) implements RulesVerdict {
        public boolean transformed() {
            return body != null;
        }
    }

    /** The filter said false: not delivered, in no error stream. */
    record Filtered(String version) implements RulesVerdict {
    }

    /**
     * The rules could not judge or shape it. {@code expression}: {@code filter}, {@code transform}, or null when
     * the stored rules themselves are unusable. {@code code}: JSONata's error code when it gave one.
     */
    record Failed(String version, String expression, String code, String reason) implements RulesVerdict {
    }
}
