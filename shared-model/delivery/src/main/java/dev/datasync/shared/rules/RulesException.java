package dev.datasync.shared.rules;

/**
 * Rules that cannot be used: a rules file that is not {@code {"filter": "<expr>", "transform": "<expr>"}}, or an
 * expression that does not compile. {@code expression} names the one at fault ({@code filter} or
 * {@code transform}; null when the file itself is wrong), {@code position} is the character offset in that
 * expression where JSONata stopped (from 0; -1 when unknown), {@code code} JSONata's error code (null when none).
 */
public final class RulesException extends Exception {

    private final String expression;
    private final int position;
    private final String code;

    public RulesException(String expression, int position, String code, String message) {
        super(message);
        this.expression = expression;
        this.position = position;
        this.code = code;
    }

    /** A problem of the file, not of one expression. */
    static RulesException ofFile(String message) {
        return new RulesException(null, -1, null, message);
    }

    public String expression() {
        return expression;
    }

    public int position() {
        return position;
    }

    public String code() {
        return code;
    }

    /** One line for a person: which expression, where, and what JSONata said. */
    public String describe() {
        if (expression == null) {
            return "rules file: " + getMessage();
        }
        return expression + " expression" + (position >= 0 ? ", position " + position : "") + ": " + getMessage()
                + (code == null ? "" : " (" + code + ")");
    }
}
