package dev.datasync.localoci.declaration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The set-up file ({@code --declaration}): what should exist when the emulator starts. Applied idempotently,
 * by name, on every start: what exists is kept, what is missing is created. {@code compartment} fields name a
 * declared compartment (absent = the tenancy, i.e. the root compartment).
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record Declaration(List<CompartmentDecl> compartments, List<StreamPoolDecl> streamPools,
                          List<StreamDecl> streams, List<VaultDecl> vaults, List<BucketDecl> buckets,
                          List<TopicDecl> topics) {

    public Declaration {
        compartments = compartments == null ? List.of() : List.copyOf(compartments);
        streamPools = streamPools == null ? List.of() : List.copyOf(streamPools);
        streams = streams == null ? List.of() : List.copyOf(streams);
        vaults = vaults == null ? List.of() : List.copyOf(vaults);
        buckets = buckets == null ? List.of() : List.copyOf(buckets);
        topics = topics == null ? List.of() : List.copyOf(topics);
    }

    public static Declaration empty() {
        return new Declaration(null, null, null, null, null, null);
    }

    public static Declaration read(Path file) throws IOException {
        // A plain mapper: the declaration is our own format, not an OCI model.
        return new ObjectMapper().readValue(file.toFile(), Declaration.class);
    }

    public record CompartmentDecl(String name) {}

    /** A stream pool; streams without a pool go to their compartment's default pool. */
    public record StreamPoolDecl(String name, String compartment) {}

    /**
     * @param partitions       1.. (default 1)
     * @param retentionInHours 24..168 (default 24)
     */
    public record StreamDecl(String name, String compartment, String streamPool, Integer partitions,
                             Integer retentionInHours) {}

    public record VaultDecl(String name, String compartment, List<KeyDecl> keys) {
        public VaultDecl {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }

    /** A master encryption key inside a vault (AES by default). */
    public record KeyDecl(String name, String algorithm) {}

    /**
     * @param objectEventsEnabled whether the bucket emits object events ({@code com.oraclecloud.objectstorage.*}),
     *                            OCI's {@code objectEventsEnabled} (default false)
     */
    public record BucketDecl(String name, String compartment, Boolean objectEventsEnabled) {}

    public record TopicDecl(String name, String compartment, List<SubscriptionDecl> subscriptions) {
        public TopicDecl {
            subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
        }
    }

    /**
     * A topic subscription delivered to a local sink.
     *
     * @param protocol {@code OUTBOX} (JSON-lines file; {@code endpoint} = path relative to the data directory,
     *                 default {@code outbox/<topic>.jsonl}) or {@code HTTPS}/{@code CUSTOM_HTTPS} (a webhook on
     *                 127.0.0.1; {@code endpoint} = its URL, http or https)
     */
    public record SubscriptionDecl(String protocol, String endpoint) {}
}
