output "sync_url" {
  description = "POST /stream/sync, a source credential in the source token header (null until functions_deployed = true)."
  value       = var.functions_deployed ? oci_apigateway_deployment.sync[0].endpoint : null
}

output "retry_url" {
  description = "POST /stream/retry, JWT in the admin token header (null until functions_deployed = true)."
  value       = var.functions_deployed ? oci_apigateway_deployment.retry[0].endpoint : null
}

output "source_token_header" {
  description = "Header that carries `Bearer <source JWT>` on /stream/sync."
  value       = local.source_token_header
}

output "admin_token_header" {
  description = "Header that carries `Bearer <admin JWT>` on /stream/retry."
  value       = var.admin_token_header
}

output "sources" {
  description = "The registered source ids (keys of var.sources): the values of source_id_claim /stream/sync accepts."
  value       = sort(keys(var.sources))
}

output "application_name" {
  description = "The function application `fn deploy --app` targets."
  value       = oci_functions_application.datasync.display_name
}

output "application_ocid" {
  description = "OCID of DataSyncApplication."
  value       = oci_functions_application.datasync.id
}

output "fn_registry" {
  description = "Value for `fn update context registry` (images land in the OCIR repositories Terraform created)."
  value       = "${var.region}.ocir.io/${data.oci_objectstorage_namespace.tenancy.namespace}/${var.ocir_repository_prefix}"
}

output "app_config" {
  description = "The application configuration Terraform wrote (func-configs/fn-config-app.sh can re-apply it with the fn CLI)."
  value       = local.app_config
}

output "data_stream_ocid" {
  description = "OCID of DataSyncStream."
  value       = oci_streaming_stream.data.id
}

output "error_stream_ocids" {
  description = "Error class => error stream OCID (the streams /stream/retry may replay)."
  value       = { for class, s in oci_streaming_stream.error : class => s.id }
}

output "dead_letter_stream_ocid" {
  description = "OCID of DeadLetterStream, where automatic redrive puts the messages it gives up on (archived like the error streams)."
  value       = oci_streaming_stream.dead_letter.id
}

output "stream_messages_endpoint" {
  description = "The Streaming endpoint the functions use: the stream's messages endpoint, or the pool's private endpoint (https://<FQDN>) with stream_pool_private_endpoint."
  value       = local.app_config["stream_messages_endpoint"]
}

output "vault_ocid" {
  description = "OCID of DataSyncVault."
  value       = oci_kms_vault.datasync.id
}

output "vault_key_ocid" {
  description = "OCID of DataSyncMasterKey (the key, not a key version)."
  value       = oci_kms_key.master.id
}

output "state_bucket" {
  description = "Bucket holding the source registry (`sources/<id>.json`) and the functions' state objects."
  value       = oci_objectstorage_bucket.state.name
}

output "archive_bucket" {
  description = "Bucket holding every error stream's messages."
  value       = oci_objectstorage_bucket.archive.name
}

output "error_topic_ocid" {
  description = "Notifications topic told about every error stream's messages."
  value       = oci_ons_notification_topic.errors.id
}

output "redrive_trigger_topic_ocid" {
  description = "Notifications topic the redrive.pending alarm notifies every minute while messages wait; its function subscription invokes retry-fn."
  value       = oci_ons_notification_topic.redrive.id
}

output "redrive_schedule_ocid" {
  description = "The hourly Resource Scheduler schedule that invokes retry-fn in redrive mode (null until functions_deployed = true)."
  value       = var.functions_deployed ? oci_resource_scheduler_schedule.redrive[0].id : null
}

output "next_step" {
  description = "What to do next."
  value       = var.functions_deployed ? "Deployed. POST to sync_url with a source credential; replay error streams with retry_url and the admin credential." : "Run `fn deploy --app ${local.application_name}` in each function folder (see docs/deploy.md), then `terraform apply -var functions_deployed=true`."
}

output "app_config_bytes" {
  description = "Size of DataSyncApplication's configuration (keys + values, UTF-8 bytes); OCI Functions allows 4096."
  value       = local.app_config_bytes
}

output "ingest_bucket" {
  description = "Bucket sources upload bulk files to: incoming/<source id>/<file>; results in results/<source id>/<file>.jsonl."
  value       = oci_objectstorage_bucket.ingest.name
}

output "log_group_ocid" {
  description = "Log group DataSyncLogs, which holds the gateway's and the functions' logs."
  value       = oci_logging_log_group.datasync.id
}

output "function_log_ocid" {
  description = "The functions' invocation log (service functions, category invoke): every line the four functions write."
  value       = oci_logging_log.functions_invoke.id
}

output "log_search_query" {
  description = "OCI Logging search query for one message's lines across the functions: replace SYNC_ID (docs/operations.md)."
  value       = "search \"${var.compartment_ocid}/${oci_logging_log_group.datasync.id}\" | where logContent='*SYNC_ID*' | sort by datetime asc"
}
