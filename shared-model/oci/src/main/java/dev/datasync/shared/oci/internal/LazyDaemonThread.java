package dev.datasync.shared.oci.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One named daemon thread, created on first use rather than at container start. Thread-safe. */
public final class LazyDaemonThread {

    private final String name;
    private ExecutorService executor;

    public LazyDaemonThread(String name) {
        this.name = name;
    }

    public synchronized Executor get() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }
}
