package dev.datasync.shared.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;

/**
 * A stand-in for a client interface (an OCI SDK client, say) that hands every call to the real client after the
 * test's hook has seen it: to count calls, slow them down, or fail them the way the service would (a hook that
 * throws fails the call, and the real client is not called).
 */
public final class ForwardingProxy {

    private ForwardingProxy() {
    }

    /** @param before sees the method's name and arguments (null for none) ahead of each call */
    public static <T> T of(Class<T> type, T real, BiConsumer<String, Object[]> before) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    before.accept(method.getName(), args);
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }
}
