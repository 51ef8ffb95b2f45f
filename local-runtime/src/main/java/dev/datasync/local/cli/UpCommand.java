package dev.datasync.local.cli;

import dev.datasync.local.stack.LocalStack;
import dev.datasync.local.stack.RepoLayout;
import dev.datasync.local.stack.StackSettings;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code ./datasync up}: the stack in the foreground until Ctrl-C (SIGINT/SIGTERM → clean shutdown). */
final class UpCommand {

    private UpCommand() {
    }

    static int run(Map<String, String> env, PrintStream out) throws Exception {
        StackSettings settings = StackSettings.fromEnvironment(env);
        LocalStack stack = LocalStack.start(settings, RepoLayout.locate());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "datasync-shutdown"));
        out.printf("datasync up: gateway %s | oci %s | data %s | admin token in %s (Ctrl-C to stop)%n",
                stack.gatewayUrl(), stack.ociUrl(), stack.dataDir(),
                settings.adminToken() != null ? "$DATASYNC_ADMIN_TOKEN" : stack.dataDir().resolve("admin-token"));
        out.flush();
        stopped.await();
        return 0;
    }
}
