package dev.datasync.shared.testing;

import java.util.List;

/**
 * Class-name prefixes a function test hands to {@code FnTestingRule.addSharedClassPrefix}: the SDK, Jackson,
 * Jersey... are then loaded once by the test's class loader instead of again for every {@code thenRun} (seconds
 * each). The function's own classes and shared-model are not shared, so each run still starts a fresh container.
 */
public final class FnClassSharing {

    public static final List<String> PREFIXES = List.of("com.oracle.bmc.", "org.glassfish.", "com.fasterxml.",
            "jakarta.", "org.apache.", "io.vavr.", "io.github.resilience4j.", "org.jvnet.", "javassist.",
            "org.slf4j.");

    private FnClassSharing() {
    }
}
