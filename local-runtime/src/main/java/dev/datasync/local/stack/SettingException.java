package dev.datasync.local.stack;

/**
 * A setting the stack cannot run with, named by its environment variable and the value it had: the CLI prints it
 * as one line, {@code datasync: DATASYNC_PORT=abc: not a port number (0-65535)}, and exits 2.
 */
public final class SettingException extends IllegalArgumentException {

    private final String variable;
    private final String value;

    public SettingException(String variable, String value, String problem) {
        super(variable + "=" + value + ": " + problem);
        this.variable = variable;
        this.value = value;
    }

    public SettingException(String variable, String value, String problem, Throwable cause) {
        this(variable, value, problem);
        initCause(cause);
    }

    public String variable() {
        return variable;
    }

    public String value() {
        return value;
    }
}
