package dev.datasync.local.e2e;

import dev.datasync.local.RunningStack;
import dev.datasync.local.demo.DemoReport;
import dev.datasync.local.demo.DemoScenario;
import dev.datasync.local.demo.FeatureTour;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.Assert.assertTrue;

/**
 * {@code ./datasync demo} as the command runs it: the pipeline tour, then the feature tour on the same stack (the
 * tour's 5xx answers leave the sample target's breaker open, which the feature steps must not depend on): the signed
 * delivery verifies with the secret the step printed, the delayed message arrives only after its deliverAfter, and
 * each fan-out target is delivered with its own {@code <syncId>.<n>}.
 */
public class DemoFeaturesEndToEndTest {

    private static RunningStack running;
    private static DemoReport tour;
    private static FeatureTour.Result features;
    private static String narrative;

    @BeforeClass
    public static void runTheDemo() throws Exception {
        running = RunningStack.start(Map.of(), DemoScenario::stackSettings);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true);
        tour = new DemoScenario(running.stack(), running.target(), out).run(DemoScenario.unusedPort());
        features = new FeatureTour(running.stack(), running.target(), out).run();
        narrative = buf.toString(StandardCharsets.UTF_8);
        System.out.println(narrative);
    }

    @AfterClass
    public static void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    public void everyFeatureEndsAsTheDemoSays() {
        assertTrue(narrative, tour.asExpected());
        assertTrue(narrative, features.signed());
        assertTrue(narrative, features.delayed());
        assertTrue(narrative, features.fanOut());
        assertTrue(narrative, features.callbacks());
        assertTrue(narrative, narrative.contains("verified with the source's secret"));
    }
}
