package dev.datasync.local.stack;

import java.net.BindException;

/**
 * Turns the JDK's bare {@link BindException} ("Address already in use") into a {@link SettingException} that names
 * the variable that chose the port and its value: what a user has to change.
 */
final class PortInUse {

    interface Binding<T> {
        T bind() throws Exception;
    }

    private PortInUse() {
    }

    static <T> T explain(String variable, int port, Binding<T> binding) throws Exception {
        try {
            return binding.bind();
        } catch (Exception e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof BindException) {
                    throw new SettingException(variable, Integer.toString(port), "port " + port
                            + " is in use on 127.0.0.1 (set another port, or 0 for any free one)", e);
                }
            }
            throw e;
        }
    }
}
