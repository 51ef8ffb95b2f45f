package dev.datasync.shared.testing;

import com.fnproject.fn.testing.FnEventBuilder;
import com.fnproject.fn.testing.FnTestingRule;

import java.util.List;
import java.util.Map;

/**
 * The FDK's {@link FnTestingRule} set up the way the project's function tests need it: the class sharing of
 * {@link FnClassSharing} (seconds saved per run) and the function's configuration, for example against local-oci.
 * Create it as the test's rule; JUnit builds the test instance after the class rules started the environment:
 * <pre>{@code
 * @ClassRule public static final LocalPipelineRule ENV = new LocalPipelineRule();
 * @Rule public final FnTestingRule fn = FnTestingRules.against(ENV.pipeline());
 * }</pre>
 * Tests that use it declare the FDK's testing-junit4 themselves (test-support holds it optional).
 */
public final class FnTestingRules {

    private FnTestingRules() {
    }

    /** A rule whose function gets this configuration; a test may still change single keys. */
    public static FnTestingRule configured(Map<String, String> config) {
        FnTestingRule fn = FnTestingRule.createDefault();
        FnClassSharing.PREFIXES.forEach(fn::addSharedClassPrefix);
        config.forEach(fn::setConfig);
        return fn;
    }

    /** A rule whose function is configured against the environment's local-oci and target. */
    public static FnTestingRule against(LocalPipeline env) {
        return configured(env.config());
    }

    /**
     * Enqueues one invocation with these headers (one entry per value) and body, e.g. the headers of an API Gateway
     * request as {@code dev.datasync.shared.fn.FnHttpGateway.request} writes them.
     */
    public static void enqueue(FnTestingRule fn, Map<String, List<String>> headers, String body) {
        FnEventBuilder<FnTestingRule> event = fn.givenEvent();
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            for (String value : h.getValue()) {
                event = event.withHeader(h.getKey(), value);
            }
        }
        event.withBody(body).enqueue();
    }
}
