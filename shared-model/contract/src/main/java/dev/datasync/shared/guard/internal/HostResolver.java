package dev.datasync.shared.guard.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** DNS lookup, replaceable in tests (no test may depend on the machine's resolver or network). */
@FunctionalInterface
public interface HostResolver {

    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver (with its usual positive-result cache). */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
