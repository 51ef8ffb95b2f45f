package dev.datasync.localoci;

import dev.datasync.localoci.http.HttpServerLimits;
import org.junit.Test;

import static org.junit.Assert.assertEquals;

/**
 * The JDK HTTP server's request time limit is a JVM-wide property read once: the build sets it for every test JVM
 * (a test may create an HttpServer before any code calls {@link HttpServerLimits#apply()}), and must set the same
 * value.
 */
public class HttpServerLimitsTest {

    @Test
    public void theTestJvmRunsWithTheLimitsTheCodeSets() {
        HttpServerLimits.apply();
        assertEquals(Long.toString(HttpServerLimits.MAX_REQUEST_TIME.toSeconds()),
                System.getProperty("sun.net.httpserver.maxReqTime"));
    }
}
