package dev.datasync.shared.log;

import java.util.Locale;

/**
 * The levels of the JSON-line logs, lowest first. {@code log_level} (func-configs/README.md) is the lowest a function
 * writes: INFO by default, so a delivered message — logged at {@link #DEBUG}, one line per message — costs no OCI
 * Logging ingestion unless asked for; the local stack sets DEBUG so that its log file has every message's fate.
 */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    /** DEBUG, INFO, WARN or ERROR in any letter case. */
    public static LogLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + text + "' is not one of DEBUG, INFO, WARN, ERROR");
        }
    }

    boolean admits(LogLevel line) {
        return line.ordinal() >= ordinal();
    }
}
