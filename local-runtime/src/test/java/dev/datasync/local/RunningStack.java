package dev.datasync.local;

import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackSettings;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The whole pipeline in this JVM for a test: a sample target, then a stack on a fresh data dir, stopped together. */
public record RunningStack(PipelineStack stack, SampleTarget target) implements AutoCloseable {

    /**
     * @param env    settings ({@code DATASYNC_*}) beyond the fresh data dir and a free gateway port
     * @param adjust applied to the settings read from {@code env} (for example the demo's)
     */
    public static RunningStack start(Map<String, String> env, UnaryOperator<StackSettings> adjust) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("DATASYNC_DATA_DIR", Files.createTempDirectory("datasync-stack").toString());
        all.put("DATASYNC_PORT", "0");
        SampleTarget target = SampleTarget.start(0);
        try {
            return new RunningStack(PipelineStack.start(adjust.apply(StackSettings.fromEnvironment(all)),
                    RepoLayout.locate()), target);
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
    }

    @Override
    public void close() {
        stack.close();
        target.close();
    }
}
