package dev.datasync.deploy.coldstart;

import java.util.List;
import java.util.Map;

/** One way of starting the function's JVM: flags, environment, and whether it maps the AppCDS archive. */
record JvmSetup(String name, List<String> jvmFlags, Map<String, String> env, boolean appCds) {

    /** The OCI SDK's switch from the Apache connector to the JDK's HttpURLConnection (the image sets it). */
    static final String JDK_CONNECTOR = "OCI_JAVASDK_JERSEY_CLIENT_DEFAULT_CONNECTOR_ENABLED";

    JvmSetup {
        jvmFlags = List.copyOf(jvmFlags);
        env = Map.copyOf(env);
    }
}
