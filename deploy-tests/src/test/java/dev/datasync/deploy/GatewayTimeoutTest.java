package dev.datasync.deploy;

import org.junit.BeforeClass;
import org.junit.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The API gateway waits longer than the functions behind it may run. If it gave up first, a retry that replayed
 * messages would reach its caller as a gateway failure and the caller would lose the lastReadOffset of work done.
 */
public class GatewayTimeoutTest {

    private static TfConfig tf;

    @BeforeClass
    public static void load() throws Exception {
        tf = TfConfig.load(RepoPaths.terraform());
    }

    private static int funcYamlTimeout(String fn) throws Exception {
        Matcher m = Pattern.compile("(?m)^timeout: (\\d+)").matcher(Files.readString(RepoPaths.root().resolve(fn).resolve("func.yaml")));
        assertTrue(fn + "/func.yaml has no timeout", m.find());
        return Integer.parseInt(m.group(1));
    }

    @Test
    public void theDefaultGatewayTimeoutExceedsTheFunctionsTimeoutsWithHeadroom() throws Exception {
        int gateway = Integer.parseInt(tf.variables().get("api_backend_read_timeout_seconds").attribute("default")
                .orElseThrow().literal().orElseThrow());
        int headroom = Integer.parseInt(tf.local("gateway_timeout_headroom_seconds").literal().orElseThrow());
        for (String fn : List.of("populate-data-stream-fn", "retry-fn")) {
            assertTrue("api_backend_read_timeout_seconds default " + gateway + " must be >= " + fn + " timeout "
                    + funcYamlTimeout(fn) + " + " + headroom, gateway >= funcYamlTimeout(fn) + headroom);
        }
    }

    @Test
    public void anApplyRefusesAGatewayTimeoutNotAboveTheDeployedFunctionTimeouts() {
        assertTrue(tf.local("retry_function_timeout").text().contains("timeout_in_seconds"));
        assertTrue(tf.local("populate_function_timeout").text().contains("timeout_in_seconds"));
        // Both deployments share the variable; the precondition stands once, on the sync deployment (a failed
        // precondition stops the whole plan).
        List<TfBlock> deployments = tf.resources("oci_apigateway_deployment");
        assertEquals(List.of("sync", "retry"), deployments.stream().map(d -> d.labels().get(1)).toList());
        boolean tied = deployments.stream()
                .flatMap(d -> d.block("lifecycle").stream())
                .flatMap(l -> l.blocks("precondition").stream())
                .map(p -> p.attribute("condition").orElseThrow().text())
                .anyMatch(c -> c.startsWith("var.api_backend_read_timeout_seconds >=") && c.contains("local.retry_function_timeout")
                        && c.contains("local.populate_function_timeout") && c.contains("local.gateway_timeout_headroom_seconds"));
        assertTrue("an oci_apigateway_deployment needs the precondition tying the timeouts", tied);
        for (TfBlock deployment : deployments) {
            for (TfBlock route : deployment.block("specification").orElseThrow().blocks("routes")) {
                assertEquals(deployment.address() + " " + route.address(), "var.api_backend_read_timeout_seconds",
                        route.block("backend").orElseThrow().attribute("read_timeout_in_seconds").orElseThrow().text());
            }
        }
    }
}
