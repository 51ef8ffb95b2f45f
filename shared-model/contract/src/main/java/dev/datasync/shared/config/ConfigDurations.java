package dev.datasync.shared.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations of the configuration, written as a whole number and a unit: {@code 90s}, {@code 5m}, {@code 24h}. One
 * spelling for every duration key (a single value or the items of a list), refused at start naming its key.
 */
public final class ConfigDurations {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smh])");

    private ConfigDurations() {
    }

    /** @throws ConfigException naming {@code key} when {@code text} is not a positive whole number and s, m or h */
    public static Duration parse(String key, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new ConfigException(key, "'" + text + "' is not a duration: a positive whole number and a unit"
                    + " s, m or h (e.g. 90s, 5m, 24h)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** A duration in the configuration's spelling, in the largest unit that writes it whole. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
