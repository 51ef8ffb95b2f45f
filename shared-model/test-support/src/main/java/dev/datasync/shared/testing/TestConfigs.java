package dev.datasync.shared.testing;

import dev.datasync.localoci.LocalOci;
import dev.datasync.localoci.Resources;

import java.util.HashMap;
import java.util.Map;

/** A complete, valid application configuration for tests; callers override single keys. */
public final class TestConfigs {
    public static final String DATA = "ocid1.stream.oc1.iad.data";
    public static final String UNRECOVERABLE = "ocid1.stream.oc1.iad.unrecoverable";
    public static final String UNAVAILABLE = "ocid1.stream.oc1.iad.unavailable";
    public static final String INTERNAL = "ocid1.stream.oc1.iad.internal";
    public static final String DEFAULT = "ocid1.stream.oc1.iad.default";
    public static final String DEAD_LETTER = "ocid1.stream.oc1.iad.deadletter";

    private TestConfigs() {
    }

    public static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("data_stream_ocid", DATA);
        m.put("unrecoverable_error_stream_ocid", UNRECOVERABLE);
        m.put("serviceUnavailable_error_stream_ocid", UNAVAILABLE);
        m.put("internalserver_error_stream_ocid", INTERNAL);
        m.put("default_error_stream_ocid", DEFAULT);
        m.put("dead_letter_stream_ocid", DEAD_LETTER);
        m.put("vault_ocid", "ocid1.vault.oc1.iad.v");
        m.put("vault_compartment_ocid", "ocid1.compartment.oc1..c");
        m.put("vault_key_ocid", "ocid1.key.oc1.iad.k");
        m.put("stream_messages_endpoint", "https://cell-1.streaming.us-ashburn-1.oci.oraclecloud.com");
        return m;
    }

    /** {@link #valid()} with delivery allowed to a {@link ScriptedTarget} (127.0.0.1, plain http). */
    public static Map<String, String> forScriptedTarget() {
        Map<String, String> m = valid();
        m.put("target_allowlist", "127.0.0.1");
        m.put("allow_http_targets", "true");
        return m;
    }

    /**
     * The application configuration a function gets against a running local-oci, as func-configs/local fills it:
     * the declared streams, vault, key and compartment, local-oci's endpoints (Object Storage's too, for the source
     * registry; Monitoring's, with the compartment the metrics go to) and its config file. Callers add what their
     * test is about (allow-list, tuning keys).
     */
    public static Map<String, String> forLocalOci(LocalOci oci) {
        Resources r = oci.resources();
        Map<String, String> m = valid();
        m.put("data_stream_ocid", r.streams().getOrDefault("DataSyncStream", DATA));
        m.put("unrecoverable_error_stream_ocid", r.streams().getOrDefault("UnrecoverableErrorStream", UNRECOVERABLE));
        m.put("serviceUnavailable_error_stream_ocid",
                r.streams().getOrDefault("ServiceUnavailableErrorStream", UNAVAILABLE));
        m.put("internalserver_error_stream_ocid", r.streams().getOrDefault("InternalServerErrorStream", INTERNAL));
        m.put("default_error_stream_ocid", r.streams().getOrDefault("DefaultErrorStream", DEFAULT));
        m.put("dead_letter_stream_ocid", r.streams().getOrDefault("DeadLetterStream", DEAD_LETTER));
        m.put("vault_ocid", r.vaults().getOrDefault("DataSyncVault", m.get("vault_ocid")));
        m.put("vault_key_ocid", r.keys().getOrDefault("DataSyncMasterKey", m.get("vault_key_ocid")));
        m.put("vault_compartment_ocid", r.compartments().get("DataSyncCompartment"));
        m.put("stream_messages_endpoint", oci.baseUrl());
        m.put("vaults_endpoint", oci.baseUrl());
        m.put("secrets_endpoint", oci.baseUrl());
        m.put("object_storage_endpoint", oci.baseUrl());
        m.put("monitoring_endpoint", oci.baseUrl());
        m.put("metrics_compartment_ocid", r.compartments().get("DataSyncCompartment"));
        m.put("oci_auth", "config_file");
        m.put("oci_config_file", oci.configFile().toString());
        m.put("oci_config_profile", oci.profile());
        return m;
    }

    public static Map<String, String> with(String key, String value) {
        Map<String, String> m = valid();
        m.put(key, value);
        return m;
    }
}
