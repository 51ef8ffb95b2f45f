package dev.datasync.deploy.coldstart;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One way of starting the function's JVM: flags, environment, and the AppCDS archive it maps (if any; the
 * archive is trained with the same environment, so it holds the classes this setup loads).
 */
record JvmSetup(String name, List<String> jvmFlags, Map<String, String> env, Optional<CdsVariant> archive) {

    /** Which training an archive comes from; setups with the same variant share one archive. */
    enum CdsVariant {
        SDK_DEFAULT_CONNECTOR(Map.of()),
        JDK_CONNECTOR(Map.of(JvmSetup.JDK_CONNECTOR, "true"));

        final Map<String, String> trainingEnv;

        CdsVariant(Map<String, String> trainingEnv) {
            this.trainingEnv = trainingEnv;
        }
    }

    /** The OCI SDK's switch from the Apache connector to the JDK's HttpURLConnection (the image sets it). */
    static final String JDK_CONNECTOR = "OCI_JAVASDK_JERSEY_CLIENT_DEFAULT_CONNECTOR_ENABLED";

    JvmSetup {
        jvmFlags = List.copyOf(jvmFlags);
        env = Map.copyOf(env);
    }
}
