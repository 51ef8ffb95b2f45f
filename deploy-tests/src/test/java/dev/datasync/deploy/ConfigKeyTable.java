package dev.datasync.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The key table of func-configs/README.md: the single source of truth for configuration keys. */
public record ConfigKeyTable(Map<String, String> defaults, Set<String> environmentSpecific) {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z_]+)` \\|([^|]*)\\|([^|]*)\\|([^|]*)\\|");
    private static final Pattern KEY = Pattern.compile("`([A-Za-z_]+)`");
    private static final String ENV_HEADING = "### Keys that differ between the cloud and the local stack";

    public static ConfigKeyTable load(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                defaults.put(m.group(1), m.group(4).trim());
            }
        }
        Set<String> env = new LinkedHashSet<>();
        int start = lines.indexOf(ENV_HEADING);
        if (start < 0) {
            throw new IOException(readme + " lacks the section \"" + ENV_HEADING + "\"");
        }
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("#"); i++) {
            Matcher m = KEY.matcher(lines.get(i));
            while (m.find()) {
                env.add(m.group(1));
            }
        }
        return new ConfigKeyTable(defaults, env);
    }

    public Set<String> keys() {
        return defaults.keySet();
    }

    /** Keys without which the functions' typed configuration refuses to start. */
    public Set<String> required() {
        return defaults.entrySet().stream().filter(e -> e.getValue().equals("required")).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Keys the functions have a default for (anything but "required" / "optional"): either configuration may leave them out. */
    public Set<String> withDefault() {
        return defaults.entrySet().stream().filter(e -> !e.getValue().equals("required") && !e.getValue().equals("optional"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
