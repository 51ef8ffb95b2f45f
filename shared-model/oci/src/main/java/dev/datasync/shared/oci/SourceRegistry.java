package dev.datasync.shared.oci;

import com.oracle.bmc.model.BmcException;
import com.oracle.bmc.objectstorage.ObjectStorage;
import com.oracle.bmc.objectstorage.requests.GetObjectRequest;
import com.oracle.bmc.objectstorage.responses.GetObjectResponse;
import dev.datasync.shared.config.ConfigException;
import dev.datasync.shared.config.SourceDefaults;
import dev.datasync.shared.config.StateStore;
import dev.datasync.shared.config.TargetAllowlist;
import dev.datasync.shared.contract.SourcePolicy;
import dev.datasync.shared.delivery.SourceAllowlists;
import dev.datasync.shared.delivery.SourceUnavailableException;
import dev.datasync.shared.json.Json;
import dev.datasync.shared.oci.internal.SingleFlightCache;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The source registry: each source application's {@link SourcePolicy}, read from Object Storage ({@code
 * sources/<id>.json} in {@code state_bucket}) and kept per container for {@link #TTL}, so a request or a message
 * never waits for Object Storage while its source's rules are cached; concurrent first reads of one source share one
 * GetObject. A source without an object gets the defaults (the global allow-list alone,
 * {@code source_default_max_secrets}). The namespace comes from the container's {@link StateBucket}. Thread-safe;
 * build one per container.
 */
public final class SourceRegistry implements SourceAllowlists {

    /** How long a source's rules are kept: a change made by Terraform or {@code ./datasync} applies within it. */
    public static final Duration TTL = Duration.ofSeconds(30);
    /** The largest registry object read; a policy is a few hundred bytes. */
    static final int MAX_OBJECT_BYTES = 64 * 1024;
    /** The key a source's allow-list entries are named by in their refusals. */
    private static final String ALLOWLIST_FIELD = "allowlist";

    private final StateBucket bucket;
    private final TargetAllowlist global;
    private final SourceDefaults defaults;
    private final SingleFlightCache<String, SourceRules> rules;

    /**
     * @param global the global allow-list: a source's entries get its deny-list and scheme rule
     */
    public SourceRegistry(StateBucket bucket, TargetAllowlist global, SourceDefaults defaults, Clock clock) {
        this.bucket = bucket;
        this.global = global;
        this.defaults = defaults;
        this.rules = new SingleFlightCache<>(TTL, clock);
    }

    /** A registry with a state bucket of its own (its own GetNamespace when the configuration names none). */
    public SourceRegistry(Supplier<ObjectStorage> client, StateStore state, TargetAllowlist global,
                          SourceDefaults defaults, Clock clock) {
        this(new StateBucket(client, state), global, defaults, clock);
    }

    /**
     * The rules of a (valid) source id.
     * @throws SourceUnavailableException when the registry cannot be read now, or its object for the source is not
     *                                    a valid policy
     */
    public SourceRules rules(String sourceId) {
        return rules.get(sourceId, () -> load(sourceId));
    }

    @Override
    public TargetAllowlist of(String sourceId) {
        return rules(sourceId).allowlist();
    }

    private SourceRules load(String sourceId) {
        byte[] object = read(SourcePolicy.objectName(sourceId));
        if (object == null) {
            return new SourceRules(sourceId, null, defaults.maxSecrets(), false);
        }
        SourcePolicy policy;
        try {
            policy = Json.mapper().readValue(object, SourcePolicy.class);
        } catch (IOException e) {
            throw invalid(sourceId, "it is not a source policy object", null);
        }
        if (policy == null || !sourceId.equals(policy.id())) {
            throw invalid(sourceId, "its id is not " + sourceId, null);
        }
        int maxSecrets = policy.maxSecrets() == null ? defaults.maxSecrets() : policy.maxSecrets();
        if (maxSecrets < 0 || maxSecrets > SourceDefaults.MOST_MAX_SECRETS) {
            throw invalid(sourceId, "maxSecrets is outside 0.." + SourceDefaults.MOST_MAX_SECRETS, null);
        }
        TargetAllowlist allowlist;
        try {
            allowlist = policy.allowlist().isEmpty() ? null : global.withEntries(policy.allowlist(), ALLOWLIST_FIELD);
        } catch (ConfigException e) {
            throw invalid(sourceId, e.getMessage(), e);
        }
        return new SourceRules(sourceId, allowlist, maxSecrets, true, policy.signs());
    }

    /** The object's bytes, or null when there is no such object. */
    private byte[] read(String objectName) {
        String namespace = namespace();
        GetObjectResponse response;
        try {
            response = bucket.client().getObject(GetObjectRequest.builder()
                    .namespaceName(namespace)
                    .bucketName(bucket.bucket())
                    .objectName(objectName)
                    .build());
        } catch (BmcException e) {
            if (e.getStatusCode() == 404 && "ObjectNotFound".equals(e.getServiceCode())) {
                return null;
            }
            throw unavailable("GetObject", e);
        } catch (RuntimeException e) {
            throw unavailable("GetObject", e);
        }
        try (InputStream in = response.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_OBJECT_BYTES + 1);
            if (bytes.length > MAX_OBJECT_BYTES) {
                throw new SourceUnavailableException(objectName + " is larger than " + MAX_OBJECT_BYTES
                        + " bytes: not a source policy", null);
            }
            return bytes;
        } catch (IOException e) {
            throw new SourceUnavailableException("the source registry could not be read (" + objectName + ": "
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private String namespace() {
        try {
            return bucket.namespace();
        } catch (RuntimeException e) {
            throw unavailable("GetNamespace", e);
        }
    }

    /** A missing bucket, a refused read or an outage: the registry cannot say what the source may do (fail closed). */
    private static SourceUnavailableException unavailable(String operation, RuntimeException e) {
        String why = e instanceof BmcException b ? "HTTP " + b.getStatusCode() + " " + b.getServiceCode()
                : e.getClass().getSimpleName();
        return new SourceUnavailableException("the source registry could not be read (" + operation + ": " + why
                + ")", e);
    }

    private static SourceUnavailableException invalid(String sourceId, String why, Throwable cause) {
        return new SourceUnavailableException("the source registry's object for " + sourceId + " is not valid: "
                + why, cause);
    }
}
