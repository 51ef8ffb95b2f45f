package dev.datasync.shared.config;

/** The configuration keys of func-configs/README.md, spelled once. */
public final class ConfigKeys {
    public static final String DATA_STREAM_OCID = "data_stream_ocid";
    public static final String UNRECOVERABLE_ERROR_STREAM_OCID = "unrecoverable_error_stream_ocid";
    public static final String SERVICE_UNAVAILABLE_ERROR_STREAM_OCID = "serviceUnavailable_error_stream_ocid";
    public static final String INTERNAL_SERVER_ERROR_STREAM_OCID = "internalserver_error_stream_ocid";
    public static final String DEFAULT_ERROR_STREAM_OCID = "default_error_stream_ocid";
    public static final String STREAM_COMPARTMENT_OCID = "stream_compartment_ocid";
    public static final String VAULT_OCID = "vault_ocid";
    public static final String VAULT_COMPARTMENT_OCID = "vault_compartment_ocid";
    public static final String VAULT_KEY_OCID = "vault_key_ocid";
    public static final String STREAM_MESSAGES_ENDPOINT = "stream_messages_endpoint";
    public static final String OCI_REGION = "oci_region";
    public static final String VAULTS_ENDPOINT = "vaults_endpoint";
    public static final String SECRETS_ENDPOINT = "secrets_endpoint";
    public static final String OBJECT_STORAGE_ENDPOINT = "object_storage_endpoint";
    public static final String OCI_AUTH = "oci_auth";
    public static final String OCI_CONFIG_FILE = "oci_config_file";
    public static final String OCI_CONFIG_PROFILE = "oci_config_profile";
    public static final String ERROR_ROUTING = "error_routing";
    public static final String RETRYABLE_STREAM_OCIDS = "retryable_stream_ocids";
    public static final String TARGET_ALLOWLIST = "target_allowlist";
    public static final String TARGET_DENYLIST = "target_denylist";
    public static final String ALLOW_HTTP_TARGETS = "allow_http_targets";
    public static final String DELIVERY_CONCURRENCY = "delivery_concurrency";
    public static final String DELIVERY_MAX_ATTEMPTS = "delivery_max_attempts";
    public static final String DELIVERY_CONNECT_TIMEOUT_MS = "delivery_connect_timeout_ms";
    public static final String DELIVERY_REQUEST_TIMEOUT_MS = "delivery_request_timeout_ms";
    public static final String DELIVERY_BACKOFF_BASE_MS = "delivery_backoff_base_ms";
    public static final String DELIVERY_BACKOFF_MAX_MS = "delivery_backoff_max_ms";
    public static final String TARGET_LIMITS = "target_limits";
    public static final String TARGET_LIMITS_CONTAINERS = "target_limits_containers";
    public static final String TARGET_BREAKER_FAILURES = "target_breaker_failures";
    public static final String TARGET_BREAKER_FAILURE_RATE = "target_breaker_failure_rate";
    public static final String TARGET_BREAKER_WINDOW = "target_breaker_window";
    public static final String TARGET_BREAKER_OPEN_MS = "target_breaker_open_ms";
    public static final String TARGET_BREAKER_PROBES = "target_breaker_probes";
    public static final String SECRET_EXPIRY_DAYS = "secret_expiry_days";
    public static final String SECRET_RETENTION_DAYS = "secret_retention_days";
    public static final String SYNC_MAX_BATCH_ITEMS = "sync_max_batch_items";
    public static final String SYNC_MAX_MESSAGE_BYTES = "sync_max_message_bytes";
    public static final String OBJECT_STORAGE_NAMESPACE = "object_storage_namespace";
    public static final String STATE_BUCKET = "state_bucket";
    public static final String SOURCE_DEFAULT_MAX_SECRETS = "source_default_max_secrets";
    public static final String DEAD_LETTER_STREAM_OCID = "dead_letter_stream_ocid";
    public static final String REDRIVE_SCHEDULE = "redrive_schedule";
    public static final String REDRIVE_MAX_AGE = "redrive_max_age";
    public static final String REDRIVE_STREAM_OCIDS = "redrive_stream_ocids";
    public static final String REDRIVE_GROUP = "redrive_group";
    public static final String IDEMPOTENCY_WINDOW = "idempotency_window";
    public static final String KEY_ORDERING = "key_ordering";
    public static final String HELD_ON_DEAD_LETTER = "held_on_dead_letter";
    public static final String METRICS_COMPARTMENT_OCID = "metrics_compartment_ocid";
    public static final String LOG_LEVEL = "log_level";
    public static final String MONITORING_ENDPOINT = "monitoring_endpoint";
    public static final String INGEST_BUCKET = "ingest_bucket";
    public static final String INGEST_MAX_OBJECT_BYTES = "ingest_max_object_bytes";
    public static final String INGEST_OBJECT_NAME_PATTERN = "ingest_object_name_pattern";
    public static final String RULES_TIMEOUT_MS = "rules_timeout_ms";
    public static final String RULES_MAX_DEPTH = "rules_max_depth";
    public static final String RULES_MAX_BODY_BYTES = "rules_max_body_bytes";
    public static final String SIGNING_ROTATION_OVERLAP = "signing_rotation_overlap";
    public static final String MAX_DELIVERY_DELAY = "max_delivery_delay";
    public static final String MAX_FANOUT_TARGETS = "max_fanout_targets";

    private ConfigKeys() {
    }
}
