package dev.datasync.shared.config;

import java.util.HashMap;
import java.util.Map;

/** A complete, valid application configuration for tests; callers override single keys. */
public final class TestConfigs {
    public static final String DATA = "ocid1.stream.oc1.iad.data";
    public static final String UNRECOVERABLE = "ocid1.stream.oc1.iad.unrecoverable";
    public static final String UNAVAILABLE = "ocid1.stream.oc1.iad.unavailable";
    public static final String INTERNAL = "ocid1.stream.oc1.iad.internal";
    public static final String DEFAULT = "ocid1.stream.oc1.iad.default";

    private TestConfigs() {
    }

    public static Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put("data_stream_ocid", DATA);
        m.put("unrecoverable_error_stream_ocid", UNRECOVERABLE);
        m.put("serviceUnavailable_error_stream_ocid", UNAVAILABLE);
        m.put("internalserver_error_stream_ocid", INTERNAL);
        m.put("default_error_stream_ocid", DEFAULT);
        m.put("vault_ocid", "ocid1.vault.oc1.iad.v");
        m.put("vault_compartment_ocid", "ocid1.compartment.oc1..c");
        m.put("vault_key_ocid", "ocid1.key.oc1.iad.k");
        m.put("stream_messages_endpoint", "https://cell-1.streaming.us-ashburn-1.oci.oraclecloud.com");
        return m;
    }

    public static Map<String, String> with(String key, String value) {
        Map<String, String> m = valid();
        m.put(key, value);
        return m;
    }
}
