package dev.datasync.local.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal parser: positional arguments plus {@code --flag value} / {@code --switch} options. */
final class Args {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    Args(List<String> args, Set<String> valued, Set<String> switches) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (switches.contains(name)) {
                    options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (inline == null) {
                        if (i + 1 >= args.size()) {
                            throw new CliException("--" + name + " needs a value");
                        }
                        inline = args.get(++i);
                    }
                    options.put(name, inline);
                } else {
                    throw new CliException("unknown option --" + name);
                }
            } else {
                positional.add(a);
            }
        }
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    String get(String name, String dflt) {
        return options.getOrDefault(name, dflt);
    }

    long getLong(String name, long dflt) {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new CliException("--" + name + " must be a number, got " + v);
        }
    }
}
