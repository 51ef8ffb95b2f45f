package dev.datasync.shared.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Typed, key-naming access to the raw string map (Fn configuration values are always strings). */
final class ConfigValues {

    /** OCIDs: "ocid1.<type>.<realm>.[region].<unique>", no whitespace or commas. */
    private static final Pattern OCID = Pattern.compile("ocid1\\.[a-z0-9]+\\.[A-Za-z0-9._-]+");
    /** Object Storage bucket names: letters, digits, '-', '_' and '.', at most 256 characters. */
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9._-]{1,256}");

    private final Map<String, String> raw;

    ConfigValues(Map<String, String> raw) {
        this.raw = raw == null ? Map.of() : raw;
    }

    /** Value with surrounding blanks removed; empty counts as absent. */
    Optional<String> optional(String key) {
        String v = raw.get(key);
        if (v == null) {
            // Fn tooling (FnTestingRule, and older Fn platform versions) hands config keys over upper-cased with
            // '-' and ' ' as '_'; accept that spelling too so the table's exact keys work everywhere
            v = raw.get(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[- ]", "_"));
        }
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.strip());
    }

    String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key, "is required but not set"));
    }

    /** A required OCID whose resource type (second dot-separated part) is one of {@code types}. */
    String requiredOcid(String key, String... types) {
        return checkOcid(key, required(key), types);
    }

    Optional<String> optionalOcid(String key, String... types) {
        return optional(key).map(v -> checkOcid(key, v, types));
    }

    static String checkOcid(String key, String value, String... types) {
        checkOcid(key, value);
        String type = value.split("\\.", 3)[1];
        if (types.length > 0 && !List.of(types).contains(type)) {
            throw new ConfigException(key, "'" + value + "' is an OCID of a " + type + ", expected "
                    + String.join(" or ", types));
        }
        return value;
    }

    static String checkOcid(String key, String value) {
        if (!OCID.matcher(value).matches()) {
            throw new ConfigException(key, "'" + value + "' is not an OCID (ocid1.<type>.<realm>.<region>.<id>)");
        }
        return value;
    }

    static void checkBucket(String key, String bucket) {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new ConfigException(key, "'" + bucket
                    + "' is not a bucket name (letters, digits, - _ . and at most 256 characters)");
        }
    }

    int intInRange(String key, int defaultValue, int min, int max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + v.get() + "' is not a whole number");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(key, parsed + " is outside " + min + ".." + max);
        }
        return parsed;
    }

    /** A duration ({@link ConfigDurations}) within {@code min..max}, or {@code defaultValue} when absent. */
    Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        Duration parsed = ConfigDurations.parse(key, v.get());
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new ConfigException(key, v.get() + " is outside " + ConfigDurations.format(min) + ".."
                    + ConfigDurations.format(max));
        }
        return parsed;
    }

    boolean bool(String key, boolean defaultValue) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "'" + v.get() + "' is not true or false");
        };
    }

    /** An absolute http(s) endpoint URL without path, query or credentials. */
    Optional<URI> endpoint(String key) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(v.get());
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "'" + v.get() + "' is not a URL");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))
                || uri.getHost() == null) {
            throw new ConfigException(key, "'" + v.get() + "' must be an absolute http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
            throw new ConfigException(key, "'" + v.get() + "' may not contain credentials or a query");
        }
        return Optional.of(uri);
    }

    /** Comma-separated list; blanks around items removed, empty items refused. */
    List<String> list(String key) {
        Optional<String> v = optional(key);
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        for (String item : v.get().split(",", -1)) {
            String s = item.strip();
            if (s.isEmpty()) {
                throw new ConfigException(key, "has an empty list item in '" + v.get() + "'");
            }
            out.add(s);
        }
        return out;
    }
}
