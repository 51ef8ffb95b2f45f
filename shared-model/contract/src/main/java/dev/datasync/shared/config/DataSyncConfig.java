package dev.datasync.shared.config;

import dev.datasync.shared.log.LogLevel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The application configuration of func-configs/README.md, validated once at container start. Every problem is a
 * {@link ConfigException} naming its key. All three functions share one application configuration, so all
 * required keys are required for each of them (a mis-set key fails fast, not on the first message that needs it).
 * Keys not in the table are ignored: Fn hands the whole environment to the function.
 */
public record DataSyncConfig(StreamIds streams,
                             VaultSettings vault,
                             OciSettings oci,
                             ErrorRouting errorRouting,
                             Set<String> retryableStreams,
                             TargetAllowlist targets,
                             DeliverySettings delivery,
                             TargetLimits targetLimits,
                             BreakerSettings breaker,
                             SyncLimits syncLimits,
                             StateStore state,
                             SourceDefaults sourceDefaults,
                             IdempotencySettings idempotency,
                             KeyOrdering ordering,
                             MetricsSettings metrics,
                             RedriveSettings redrive,
                             IngestSettings ingest,
                             RulesSettings rules,
                             LogLevel logLevel,
                             SigningSettings signing,
                             DelaySettings delay,
                             int maxFanOutTargets) {

    /** {@code max_fanout_targets}: the targets one fan-out message ({@code streamMessage.targets}) may name. */
    public static final int DEFAULT_MAX_FANOUT_TARGETS = 10;
    /** Each target is its own stream message: a request's targets stay within one PutMessages call's worth. */
    public static final int MOST_FANOUT_TARGETS = 100;

    public DataSyncConfig {
        retryableStreams = Set.copyOf(retryableStreams);
    }

    public static DataSyncConfig from(Map<String, String> raw) {
        ConfigValues v = new ConfigValues(raw);

        StreamIds streams = new StreamIds(
                v.requiredOcid(ConfigKeys.DATA_STREAM_OCID, "stream"),
                v.requiredOcid(ConfigKeys.UNRECOVERABLE_ERROR_STREAM_OCID, "stream"),
                v.requiredOcid(ConfigKeys.SERVICE_UNAVAILABLE_ERROR_STREAM_OCID, "stream"),
                v.requiredOcid(ConfigKeys.INTERNAL_SERVER_ERROR_STREAM_OCID, "stream"),
                v.requiredOcid(ConfigKeys.DEFAULT_ERROR_STREAM_OCID, "stream"),
                v.optionalOcid(ConfigKeys.STREAM_COMPARTMENT_OCID, "compartment", "tenancy"));
        // an error stream that is the data stream would feed failures back into delivery forever
        for (String key : List.of(ConfigKeys.UNRECOVERABLE_ERROR_STREAM_OCID,
                ConfigKeys.SERVICE_UNAVAILABLE_ERROR_STREAM_OCID, ConfigKeys.INTERNAL_SERVER_ERROR_STREAM_OCID,
                ConfigKeys.DEFAULT_ERROR_STREAM_OCID)) {
            if (v.required(key).equals(streams.dataStream())) {
                throw new ConfigException(key, "must not be the data stream (" + ConfigKeys.DATA_STREAM_OCID + ")");
            }
        }

        VaultSettings vault = new VaultSettings(
                v.requiredOcid(ConfigKeys.VAULT_OCID, "vault"),
                v.requiredOcid(ConfigKeys.VAULT_COMPARTMENT_OCID, "compartment", "tenancy"),
                keyOcid(v),
                v.intInRange(ConfigKeys.SECRET_EXPIRY_DAYS, 30, 1, 90),
                // the lower bound is checked by VaultSettings, with the reason in its message
                v.intInRange(ConfigKeys.SECRET_RETENTION_DAYS, VaultSettings.DEFAULT_SECRET_RETENTION_DAYS,
                        0, 3650));

        OciAuth auth = switch (v.optional(ConfigKeys.OCI_AUTH).orElse("resource_principal")) {
            case "resource_principal" -> OciAuth.RESOURCE_PRINCIPAL;
            case "config_file" -> OciAuth.CONFIG_FILE;
            default -> throw new ConfigException(ConfigKeys.OCI_AUTH, "'" + v.optional(ConfigKeys.OCI_AUTH).get()
                    + "' is not resource_principal or config_file");
        };
        OciSettings oci = new OciSettings(auth,
                configFile(v.optional(ConfigKeys.OCI_CONFIG_FILE).orElse("~/.oci/config")),
                v.optional(ConfigKeys.OCI_CONFIG_PROFILE).orElse("DEFAULT"),
                v.optional(ConfigKeys.OCI_REGION).map(DataSyncConfig::region),
                v.endpoint(ConfigKeys.STREAM_MESSAGES_ENDPOINT).orElseThrow(
                        () -> new ConfigException(ConfigKeys.STREAM_MESSAGES_ENDPOINT, "is required but not set")),
                v.endpoint(ConfigKeys.VAULTS_ENDPOINT),
                v.endpoint(ConfigKeys.SECRETS_ENDPOINT),
                v.endpoint(ConfigKeys.OBJECT_STORAGE_ENDPOINT),
                v.endpoint(ConfigKeys.MONITORING_ENDPOINT));

        if (auth == OciAuth.CONFIG_FILE && !java.nio.file.Files.isReadable(oci.configFile())) {
            throw new ConfigException(ConfigKeys.OCI_CONFIG_FILE, "oci_auth is config_file but " + oci.configFile()
                    + " is not a readable file");
        }

        ErrorRouting routing = ErrorRouting.parse(streams, v.list(ConfigKeys.ERROR_ROUTING));
        for (String ocid : routing.routes().values()) {
            if (ocid.equals(streams.dataStream())) {
                throw new ConfigException(ConfigKeys.ERROR_ROUTING, "routes to the data stream " + ocid);
            }
        }

        Set<String> retryable = new LinkedHashSet<>();
        List<String> listed = v.list(ConfigKeys.RETRYABLE_STREAM_OCIDS);
        if (listed.isEmpty()) {
            retryable.addAll(List.of(streams.unrecoverable(), streams.serviceUnavailable(), streams.internalServer(),
                    streams.defaultError()));
        } else {
            for (String ocid : listed) {
                ConfigValues.checkOcid(ConfigKeys.RETRYABLE_STREAM_OCIDS, ocid, "stream");
                if (ocid.equals(streams.dataStream())) {
                    throw new ConfigException(ConfigKeys.RETRYABLE_STREAM_OCIDS,
                            "must not list the data stream: it is delivered by the connector, not replayed");
                }
                retryable.add(ocid);
            }
        }

        TargetAllowlist targets = TargetAllowlist.parse(v.list(ConfigKeys.TARGET_ALLOWLIST),
                v.list(ConfigKeys.TARGET_DENYLIST), v.bool(ConfigKeys.ALLOW_HTTP_TARGETS, false));

        int backoffBase = v.intInRange(ConfigKeys.DELIVERY_BACKOFF_BASE_MS, 200, 1, 600_000);
        int backoffMax = v.intInRange(ConfigKeys.DELIVERY_BACKOFF_MAX_MS, 5000, 1, 600_000);
        if (backoffMax < backoffBase) {
            throw new ConfigException(ConfigKeys.DELIVERY_BACKOFF_MAX_MS, backoffMax + " is below "
                    + ConfigKeys.DELIVERY_BACKOFF_BASE_MS + " (" + backoffBase + ")");
        }
        DeliverySettings delivery = new DeliverySettings(
                v.intInRange(ConfigKeys.DELIVERY_CONCURRENCY, 32, 1, 1024),
                v.intInRange(ConfigKeys.DELIVERY_MAX_ATTEMPTS, 4, 1, 20),
                Duration.ofMillis(v.intInRange(ConfigKeys.DELIVERY_CONNECT_TIMEOUT_MS, 3000, 1, 300_000)),
                Duration.ofMillis(v.intInRange(ConfigKeys.DELIVERY_REQUEST_TIMEOUT_MS, 10_000, 1, 300_000)),
                Duration.ofMillis(backoffBase),
                Duration.ofMillis(backoffMax));

        TargetLimits targetLimits = TargetLimits.parse(v.list(ConfigKeys.TARGET_LIMITS),
                v.intInRange(ConfigKeys.TARGET_LIMITS_CONTAINERS, 1, 1, 10_000));
        BreakerSettings breaker = new BreakerSettings(
                BreakerSettings.parseFailures(v.list(ConfigKeys.TARGET_BREAKER_FAILURES)),
                v.intInRange(ConfigKeys.TARGET_BREAKER_FAILURE_RATE, BreakerSettings.DEFAULT.failureRatePercent(), 1, 100),
                v.intInRange(ConfigKeys.TARGET_BREAKER_WINDOW, BreakerSettings.DEFAULT.window(), 2, 1000),
                Duration.ofMillis(v.intInRange(ConfigKeys.TARGET_BREAKER_OPEN_MS,
                        (int) BreakerSettings.DEFAULT.open().toMillis(), 100, 3_600_000)),
                v.intInRange(ConfigKeys.TARGET_BREAKER_PROBES, BreakerSettings.DEFAULT.probes(), 1, 100));

        int maxMessageBytes = v.intInRange(ConfigKeys.SYNC_MAX_MESSAGE_BYTES, SyncLimits.MAX_MESSAGE_BYTES, 1,
                Integer.MAX_VALUE);
        if (maxMessageBytes > SyncLimits.MAX_MESSAGE_BYTES) {
            throw new ConfigException(ConfigKeys.SYNC_MAX_MESSAGE_BYTES, maxMessageBytes + " is above "
                    + SyncLimits.MAX_MESSAGE_BYTES + ": OCI's 1 MiB message limit less "
                    + SyncLimits.ENVELOPE_HEADROOM_BYTES + " bytes kept for the error-stream envelope of a failed"
                    + " delivery (deliveryAttempts, lastError, source, key)");
        }
        SyncLimits limits = new SyncLimits(v.intInRange(ConfigKeys.SYNC_MAX_BATCH_ITEMS, 100, 1, 10_000),
                maxMessageBytes);

        StateStore state = new StateStore(v.optional(ConfigKeys.OBJECT_STORAGE_NAMESPACE),
                v.optional(ConfigKeys.STATE_BUCKET).orElse(StateStore.DEFAULT_BUCKET));

        SourceDefaults sourceDefaults = new SourceDefaults(v.intInRange(ConfigKeys.SOURCE_DEFAULT_MAX_SECRETS,
                SourceDefaults.DEFAULT_MAX_SECRETS, 1, SourceDefaults.MOST_MAX_SECRETS));

        IdempotencySettings idempotency = new IdempotencySettings(v.duration(ConfigKeys.IDEMPOTENCY_WINDOW,
                IdempotencySettings.DEFAULT_WINDOW, IdempotencySettings.SHORTEST_WINDOW,
                IdempotencySettings.LONGEST_WINDOW));

        KeyOrdering ordering = new KeyOrdering(v.bool(ConfigKeys.KEY_ORDERING, KeyOrdering.DEFAULT.enabled()),
                v.optional(ConfigKeys.HELD_ON_DEAD_LETTER).map(KeyOrdering.HeldOnDeadLetter::parse)
                        .orElse(KeyOrdering.DEFAULT.heldOnDeadLetter()));

        RedriveSettings redrive = RedriveSettings.parse(v, streams);
        MetricsSettings metrics = new MetricsSettings(
                v.optionalOcid(ConfigKeys.METRICS_COMPARTMENT_OCID, "compartment", "tenancy"));

        IngestSettings ingest = new IngestSettings(
                v.optional(ConfigKeys.INGEST_BUCKET).orElse(IngestSettings.DEFAULT_BUCKET),
                v.intInRange(ConfigKeys.INGEST_MAX_OBJECT_BYTES, IngestSettings.DEFAULT_MAX_OBJECT_BYTES, 1,
                        Integer.MAX_VALUE),
                v.optional(ConfigKeys.INGEST_OBJECT_NAME_PATTERN).orElse(IngestSettings.DEFAULT_PATTERN));

        RulesSettings rules = new RulesSettings(
                Duration.ofMillis(v.intInRange(ConfigKeys.RULES_TIMEOUT_MS,
                        (int) RulesSettings.DEFAULT.timeout().toMillis(), 1, 10_000)),
                v.intInRange(ConfigKeys.RULES_MAX_DEPTH, RulesSettings.DEFAULT.maxDepth(), 10, 10_000),
                v.intInRange(ConfigKeys.RULES_MAX_BODY_BYTES, RulesSettings.DEFAULT.maxBodyBytes(), 1,
                        16 * 1024 * 1024));

        LogLevel logLevel = v.optional(ConfigKeys.LOG_LEVEL).map(text -> {
            try {
                return LogLevel.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ConfigKeys.LOG_LEVEL, e.getMessage());
            }
        }).orElse(LogLevel.INFO);

        SigningSettings signing = new SigningSettings(v.duration(ConfigKeys.SIGNING_ROTATION_OVERLAP,
                SigningSettings.DEFAULT_OVERLAP, SigningSettings.SHORTEST_OVERLAP, SigningSettings.LONGEST_OVERLAP));

        DelaySettings delay = DelaySettings.parse(v, streams, redrive);

        // a delayed message waits in a redriven stream, whatever error_routing says about failures
        return new DataSyncConfig(streams, vault, oci, routing.withDelayedTo(delay.stream()), retryable, targets,
                delivery, targetLimits, breaker, limits, state, sourceDefaults, idempotency, ordering, metrics,
                redrive, ingest, rules, logLevel, signing, delay, v.intInRange(ConfigKeys.MAX_FANOUT_TARGETS,
                        DEFAULT_MAX_FANOUT_TARGETS, 1, MOST_FANOUT_TARGETS));
    }

    /** The contract name of a stream the configuration names (for log lines and metric dimensions). */
    public String streamName(String ocid) {
        return StreamNames.of(streams, redrive.deadLetterStream()).nameOf(ocid);
    }

    /**
     * CreateSecret needs the master key; a key version OCID (an easy mix-up: both are listed under the key) is
     * refused here, at start, rather than on the first token a caller sends.
     */
    private static String keyOcid(ConfigValues v) {
        String key = v.required(ConfigKeys.VAULT_KEY_OCID);
        if (key.startsWith("ocid1.keyversion.")) {
            throw new ConfigException(ConfigKeys.VAULT_KEY_OCID,
                    "is a key version OCID; CreateSecret needs the vault master key (ocid1.key...)");
        }
        return ConfigValues.checkOcid(ConfigKeys.VAULT_KEY_OCID, key, "key");
    }

    private static String region(String region) {
        if (!region.matches("[a-z0-9-]+")) {
            throw new ConfigException(ConfigKeys.OCI_REGION, "'" + region + "' is not a region id like us-ashburn-1");
        }
        return region;
    }

    private static Path configFile(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), path.length() > 2 ? path.substring(2) : "");
        }
        return Path.of(path);
    }

    /** The raw keys in a form handy for tests and tooling. */
    public static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (var f : ConfigKeys.class.getFields()) {
            try {
                keys.add((String) f.get(null));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return keys;
    }
}
