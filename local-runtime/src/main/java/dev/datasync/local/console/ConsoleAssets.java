package dev.datasync.local.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The console's files, all from the classpath, loaded once: the page, its script and style
 * ({@code src/main/resources/console/}) and the chart library uPlot from its webjar ({@code org.webjars.npm:uplot},
 * served as {@code lib/uplot.js} and {@code lib/uplot.css} — never from a CDN). Nothing else is served.
 */
public final class ConsoleAssets {

    /** A file the console serves. */
    public record Asset(byte[] bytes, String contentType) {
    }

    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    private final Map<String, Asset> byPath;

    private ConsoleAssets(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /** @throws IllegalStateException when a file is missing from the classpath (a broken build) */
    public static ConsoleAssets load() {
        ClassLoader cl = ConsoleAssets.class.getClassLoader();
        Map<String, Asset> files = new HashMap<>();
        files.put("/", asset(cl, "console/index.html", "text/html; charset=utf-8"));
        files.put("/app.js", asset(cl, "console/app.js", "text/javascript; charset=utf-8"));
        files.put("/app.css", asset(cl, "console/app.css", "text/css; charset=utf-8"));
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion(cl) + "/dist/";
        files.put("/lib/uplot.js", asset(cl, uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        files.put("/lib/uplot.css", asset(cl, uplot + "uPlot.min.css", "text/css; charset=utf-8"));
        return new ConsoleAssets(files);
    }

    /** The file at a path under {@code /console}. */
    public Optional<Asset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static String uplotVersion(ClassLoader cl) {
        try (InputStream in = cl.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot webjar is not on the classpath (" + UPLOT_POM + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(ClassLoader cl, String resource, String contentType) {
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console file missing from the classpath: " + resource);
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
