package dev.datasync.localoci;

import java.util.Map;
import java.util.TreeMap;

/**
 * Names → OCIDs of what the declaration created (or found), as written to {@code resources.json} and served at
 * {@code GET /_admin/resources}. Vault keys are keyed by key name (key names are unique in the declaration).
 */
public record Resources(String tenancy, String user, String region, String namespace,
                        Map<String, String> compartments, Map<String, String> streamPools,
                        Map<String, String> streams, Map<String, String> vaults, Map<String, String> keys,
                        Map<String, String> buckets, Map<String, String> topics) {

    public Resources {
        compartments = Map.copyOf(compartments);
        streamPools = Map.copyOf(streamPools);
        streams = Map.copyOf(streams);
        vaults = Map.copyOf(vaults);
        keys = Map.copyOf(keys);
        buckets = Map.copyOf(buckets);
        topics = Map.copyOf(topics);
    }

    /** Collects names → OCIDs while the declaration is applied. */
    public static final class Builder {
        private final String tenancy;
        private final String user;
        private final String region;
        private String namespace;
        private final Map<String, String> compartments = new TreeMap<>();
        private final Map<String, String> streamPools = new TreeMap<>();
        private final Map<String, String> streams = new TreeMap<>();
        private final Map<String, String> vaults = new TreeMap<>();
        private final Map<String, String> keys = new TreeMap<>();
        private final Map<String, String> buckets = new TreeMap<>();
        private final Map<String, String> topics = new TreeMap<>();

        public Builder(String tenancy, String user, String region) {
            this.tenancy = tenancy;
            this.user = user;
            this.region = region;
        }

        public Builder namespace(String value) { this.namespace = value; return this; }
        public Builder compartment(String name, String ocid) { compartments.put(name, ocid); return this; }
        public Builder streamPool(String name, String ocid) { streamPools.put(name, ocid); return this; }
        public Builder stream(String name, String ocid) { streams.put(name, ocid); return this; }
        public Builder vault(String name, String ocid) { vaults.put(name, ocid); return this; }
        public Builder key(String name, String ocid) { keys.put(name, ocid); return this; }
        public Builder bucket(String name, String ocid) { buckets.put(name, ocid); return this; }
        public Builder topic(String name, String ocid) { topics.put(name, ocid); return this; }

        /** Compartment OCID for a declared compartment name; null/empty name = the tenancy (root). */
        public String compartmentId(String name) {
            if (name == null || name.isEmpty()) {
                return tenancy;
            }
            String id = compartments.get(name);
            if (id == null) {
                throw new IllegalArgumentException("declaration names unknown compartment '" + name + "'");
            }
            return id;
        }

        public String streamPoolId(String name) { return streamPools.get(name); }

        public Resources build() {
            return new Resources(tenancy, user, region, namespace, compartments, streamPools, streams, vaults, keys,
                    buckets, topics);
        }
    }
}
