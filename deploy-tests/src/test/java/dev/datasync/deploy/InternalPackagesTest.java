package dev.datasync.deploy;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The {@code ….internal} packages of shared-model/contract and shared-model/delivery hold what only their own
 * module uses: no other module's main code names a type of them (tests may, to test them).
 */
public class InternalPackagesTest {

    private static final List<String> OWNERS = List.of("shared-model/contract", "shared-model/delivery");
    private static final Pattern INTERNAL = Pattern.compile("dev\\.datasync\\.shared\\.\\w+\\.internal\\.\\w+");

    @Test
    public void noOtherModulesMainCodeUsesAnInternalType() throws IOException {
        Path root = RepoPaths.root();
        List<String> owned = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/")).toList()) {
                String rel = root.relativize(file).toString();
                String module = rel.substring(0, rel.indexOf("/src/main/java/"));
                if (OWNERS.contains(module)) {
                    if (rel.contains("/internal/")) {
                        owned.add(rel);
                    }
                    continue;
                }
                Matcher m = INTERNAL.matcher(Files.readString(file));
                while (m.find()) {
                    leaks.add(rel + ": " + m.group());
                }
            }
        }
        assertTrue("no internal packages found: the check would pass vacuously", owned.size() >= 5);
        assertEquals("another module's main code uses an internal type: make it part of the module's API"
                + " (move it out of internal) or keep it inside", List.of(), leaks);
    }
}
