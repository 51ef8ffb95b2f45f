package dev.datasync.shared.testing;

import org.junit.rules.ExternalResource;

/**
 * A {@link LocalPipeline} (local-oci, a scripted target, their configuration) for the test class, as a
 * {@code @ClassRule}: started before the class's first test, closed after its last.
 */
public final class LocalPipelineRule extends ExternalResource {

    private LocalPipeline pipeline;

    @Override
    protected void before() {
        pipeline = LocalPipeline.start();
    }

    @Override
    protected void after() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    public LocalPipeline pipeline() {
        if (pipeline == null) {
            throw new IllegalStateException("the local pipeline is not running: use LocalPipelineRule as a @ClassRule");
        }
        return pipeline;
    }
}
