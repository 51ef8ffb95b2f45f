package dev.datasync.deploy;

import org.junit.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The {@code ….internal} packages of the shared-model modules hold what only their own module uses: no other
 * module's main code names a type of them (tests may, to test them).
 */
public class InternalPackagesTest {

    private static final Pattern INTERNAL = Pattern.compile("dev\\.datasync\\.shared\\.\\w+\\.internal\\.\\w+");

    @Test
    public void noOtherModulesMainCodeUsesAnInternalType() throws IOException {
        Path root = RepoPaths.root();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/")).toList();
        }
        Map<String, String> ownerOfInternal = new HashMap<>(); // package of an internal type -> its module
        for (Path file : sources) {
            String rel = root.relativize(file).toString();
            if (rel.contains("/internal/")) {
                String pkg = rel.substring(rel.indexOf("/src/main/java/") + "/src/main/java/".length(),
                        rel.lastIndexOf('/')).replace('/', '.');
                ownerOfInternal.put(pkg, module(rel));
            }
        }
        List<String> leaks = new ArrayList<>();
        for (Path file : sources) {
            String rel = root.relativize(file).toString();
            Matcher m = INTERNAL.matcher(Files.readString(file));
            while (m.find()) {
                String type = m.group();
                String owner = ownerOfInternal.get(type.substring(0, type.lastIndexOf('.')));
                if (!module(rel).equals(owner)) {
                    leaks.add(rel + ": " + type);
                }
            }
        }
        assertTrue("no internal packages found: the check would pass vacuously", ownerOfInternal.size() >= 3);
        assertEquals("another module's main code uses an internal type: make it part of the module's API"
                + " (move it out of internal) or keep it inside", List.of(), leaks);
    }

    private static String module(String relativePath) {
        return relativePath.substring(0, relativePath.indexOf("/src/main/java/"));
    }
}
