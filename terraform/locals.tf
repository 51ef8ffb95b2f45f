# Values several files share. Names come from func-configs/README.md ("Names shared by Terraform and
# the local stack"); the application configuration comes from the cloud template in func-configs/.
locals {
  stream_compartment_ocid = coalesce(var.stream_compartment_ocid, var.compartment_ocid)
  vault_compartment_ocid  = coalesce(var.vault_compartment_ocid, var.compartment_ocid)
  policy_compartment_ocid = coalesce(var.policy_compartment_ocid, var.tenancy_ocid)

  application_name       = "DataSyncApplication"
  populate_function_name = "populate-data-stream-fn"
  read_function_name     = "read-data-stream-fn"
  retry_function_name    = "retry-fn"
  ingest_function_name   = "bulk-ingest-fn"
  function_names         = [local.populate_function_name, local.read_function_name, local.retry_function_name, local.ingest_function_name]

  # Functions are owned by `fn deploy` (see docs/deploy.md); after it ran, Terraform finds them by name.
  populate_function_id = var.functions_deployed ? one(data.oci_functions_functions.deployed[local.populate_function_name].functions[*].id) : null
  read_function_id     = var.functions_deployed ? one(data.oci_functions_functions.deployed[local.read_function_name].functions[*].id) : null
  retry_function_id    = var.functions_deployed ? one(data.oci_functions_functions.deployed[local.retry_function_name].functions[*].id) : null
  ingest_function_id   = var.functions_deployed ? one(data.oci_functions_functions.deployed[local.ingest_function_name].functions[*].id) : null

  # The deployed timeouts (the server-side definition wins over func.yaml). The gateway must wait longer than the
  # functions behind it may run: a gateway that gives up first fails a request whose work was done, and the
  # caller of /stream/retry loses the lastReadOffset of a replay that happened.
  populate_function_timeout        = var.functions_deployed ? one(data.oci_functions_functions.deployed[local.populate_function_name].functions[*].timeout_in_seconds) : null
  retry_function_timeout           = var.functions_deployed ? one(data.oci_functions_functions.deployed[local.retry_function_name].functions[*].timeout_in_seconds) : null
  gateway_timeout_headroom_seconds = 30

  # Every stream a message can end in after a failed delivery, keyed by error class (deadLetter for DeadLetterStream):
  # each is archived (connectors.tf) and has a digest alarm (notifications.tf). /stream/retry replays the error
  # streams (error_stream_ids); DeadLetterStream is the end.
  error_stream_ids = [for s in oci_streaming_stream.error : s.id]
  failure_streams  = merge(oci_streaming_stream.error, { deadLetter = oci_streaming_stream.dead_letter })

  # Automatic redrive (redrive.tf). The schedule and the maximum age go to the functions as they are; Terraform
  # needs the age in seconds only to hold the error streams' retention to it (validated in variables.tf: digits and
  # one unit of s, m, h).
  redrive_max_age_seconds               = tonumber(substr(var.redrive_max_age, 0, length(var.redrive_max_age) - 1)) * lookup({ s = 1, m = 60, h = 3600 }, substr(var.redrive_max_age, length(var.redrive_max_age) - 1, 1), 0)
  error_stream_retention_covers_redrive = var.error_stream_retention_hours * 3600 >= local.redrive_max_age_seconds
  redrive_classes_known                 = alltrue([for c in var.redrive_error_classes : contains(keys(var.error_streams), c)])
  redrive_stream_ids                    = [for c in var.redrive_error_classes : oci_streaming_stream.error[c].id if contains(keys(var.error_streams), c)]

  # Idempotency keys are answered for 24 h (idempotency_window, which Terraform leaves at its default); the state
  # bucket's lifecycle rule deletes them two whole days after their last write, so a key is never deleted inside its
  # window. A longer idempotency_window set by hand (fn-config-app.sh) needs this raised with it.
  idempotency_key_retention_days = 2

  # The functions' own metrics (MonitoringMetricsSink): namespace and the metric the redrive trigger's alarm watches.
  metrics_namespace      = "datasync"
  redrive_pending_metric = "redrive.pending"

  # The names the source credential travels under (public contract: the local gateway uses the same ones). The
  # audience is fixed so that a source credential and the admin credential (var.admin_jwt_audiences, which may not
  # contain it) can never be taken for each other.
  source_token_header = "X-DataSync-Source-Token"
  source_id_header    = "X-DataSync-Source-Id"
  source_jwt_audience = "datasync-sync"

  # Template variables of func-configs/cloud-app-config.json.tftpl. Every value is wired from a
  # resource or an input: the master KEY (not a key version), the vault's own compartment, each error
  # class its own stream. deploy-tests checks this wiring key by key.
  app_config_values = {
    data_stream_ocid                     = oci_streaming_stream.data.id
    unrecoverable_error_stream_ocid      = oci_streaming_stream.error["unrecoverable"].id
    serviceUnavailable_error_stream_ocid = oci_streaming_stream.error["serviceUnavailable"].id
    internalserver_error_stream_ocid     = oci_streaming_stream.error["internalserver"].id
    default_error_stream_ocid            = oci_streaming_stream.error["default"].id
    stream_compartment_ocid              = local.stream_compartment_ocid
    vault_ocid                           = oci_kms_vault.datasync.id
    vault_compartment_ocid               = local.vault_compartment_ocid
    vault_key_ocid                       = oci_kms_key.master.id
    stream_messages_endpoint             = oci_streaming_stream.data.messages_endpoint
    oci_region                           = var.region
    oci_auth                             = "resource_principal"
    allow_http_targets                   = "false"
    error_routing                        = join(",", [for selector, class in var.error_routes : "${selector}=${oci_streaming_stream.error[class].id}"])
    retryable_stream_ocids               = join(",", local.error_stream_ids)
    dead_letter_stream_ocid              = oci_streaming_stream.dead_letter.id
    redrive_schedule                     = var.redrive_schedule
    redrive_max_age                      = var.redrive_max_age
    signing_rotation_overlap             = var.signing_rotation_overlap
    max_delivery_delay                   = var.max_delivery_delay
    max_fanout_targets                   = tostring(var.max_fanout_targets)
    redrive_stream_ocids                 = join(",", local.redrive_stream_ids)
    redrive_group                        = "datasync-redrive"
    metrics_compartment_ocid             = var.compartment_ocid
    log_level                            = upper(var.log_level)
    target_allowlist                     = join(",", var.target_allowlist)
    object_storage_namespace             = data.oci_objectstorage_namespace.tenancy.namespace
    state_bucket                         = oci_objectstorage_bucket.state.name
    target_limits                        = join(",", var.target_limits)
    # each delivering container enforces its share of a target_limits rate: one ReadDataStream invocation per
    # DataSyncStream partition runs at a time (Service Connector Hub), plus the Retry function
    target_limits_containers = tostring(var.data_stream_partitions + 1)
    ingest_bucket            = oci_objectstorage_bucket.ingest.name
    # the Events rule's pattern (ingest.tf): the function checks it again
    ingest_object_name_pattern = var.ingest_object_name_pattern
  }

  # With stream_pool_private_endpoint, the stream pool answers only at its private endpoint in the functions subnet:
  # the functions' Streaming client goes to its FQDN (resolved inside the VCN), not to the public messages endpoint.
  private_stream_endpoint = var.stream_pool_private_endpoint ? {
    stream_messages_endpoint = "https://${oci_streaming_stream_pool.datasync.endpoint_fqdn}"
  } : {}

  # Keys with an empty value are left out, so the functions apply their documented default.
  app_config = {
    for key, value in merge(jsondecode(templatefile("${path.module}/../func-configs/cloud-app-config.json.tftpl", local.app_config_values)), local.private_stream_endpoint, var.function_config_overrides) :
    key => value if value != ""
  }

  # OCI Functions limits an application's configuration (application-wide and function-specific together) to
  # 4 KB: "the sum of octets necessary to represent each key and value in UTF-8". length() counts characters,
  # so the UTF-8 byte count is taken from the base64 encoding (3 bytes per 4 characters, minus padding).
  # Long allow-lists and many error routes can reach it; oci_functions_application checks it before apply.
  app_config_max_bytes = 4096
  app_config_text      = join("", [for key, value in local.app_config : "${key}${value}"])
  app_config_bytes     = length(base64encode(local.app_config_text)) / 4 * 3 - length(regexall("=", base64encode(local.app_config_text)))
}
