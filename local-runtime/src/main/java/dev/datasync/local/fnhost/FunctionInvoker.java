package dev.datasync.local.fnhost;

/** Something that runs a function call: the FDK host, or (in tests) a stand-in. */
@FunctionalInterface
public interface FunctionInvoker {
    FunctionResponse invoke(FunctionRequest request);
}
