package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * docs/reference-defects.md names, for each defect of the reference sample, the regression tests that guard it:
 * every {@code Class#method} it names is a test method of the repository, and every check of
 * {@link ReferenceDefectsRegressionTest} is named there.
 */
public class ReferenceDefectsDocTest {

    private static final Pattern TEST_NAME = Pattern.compile("`([A-Z]\\w*Test)#(\\w+)`");

    private static String doc;
    /** Test class simple name → its source, over every module's src/test/java. */
    private static final Map<String, List<String>> TEST_SOURCES = new TreeMap<>();

    @BeforeClass
    public static void load() throws IOException {
        doc = Files.readString(RepoPaths.root().resolve("docs/reference-defects.md"));
        try (Stream<Path> files = Files.walk(RepoPaths.root())) {
            files.filter(f -> f.toString().contains("/src/test/java/") && f.toString().endsWith("Test.java"))
                    .filter(f -> !f.toString().contains("/target/"))
                    .forEach(f -> TEST_SOURCES.computeIfAbsent(f.getFileName().toString().replace(".java", ""),
                            k -> new ArrayList<>()).add(read(f)));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    public void everyNamedTestExists() {
        Matcher m = TEST_NAME.matcher(doc);
        List<String> missing = new ArrayList<>();
        int named = 0;
        while (m.find()) {
            named++;
            String method = "public void " + m.group(2) + "(";
            List<String> sources = TEST_SOURCES.getOrDefault(m.group(1), List.of());
            if (sources.stream().noneMatch(s -> s.contains("@Test") && s.contains(method))) {
                missing.add(m.group(1) + "#" + m.group(2));
            }
        }
        assertTrue("the page names no tests", named > 20);
        assertEquals("named in docs/reference-defects.md but not a test of the repository", List.of(), missing);
    }

    @Test
    public void everyDeploymentDefectCheckIsListed() {
        List<String> unlisted = new ArrayList<>();
        for (Method method : ReferenceDefectsRegressionTest.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Test.class)
                    && !doc.contains("`ReferenceDefectsRegressionTest#" + method.getName() + "`")) {
                unlisted.add(method.getName());
            }
        }
        assertEquals("ReferenceDefectsRegressionTest checks missing from docs/reference-defects.md", List.of(),
                unlisted);
    }
}
