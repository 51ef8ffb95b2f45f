# Functions. Ownership is split so Terraform and `fn deploy` never fight:
# - Terraform owns the OCIR repositories and the application (network, configuration, logs).
# - `fn deploy --app DataSyncApplication` owns the four functions (image, memory, timeout from each
#   func.yaml). Terraform never declares oci_functions_function; once var.functions_deployed is true it
#   only READS them by name to wire the API gateway, the connector and IAM.

resource "oci_artifacts_container_repository" "function" {
  for_each = toset(local.function_names)

  compartment_id = var.compartment_ocid
  display_name   = "${var.ocir_repository_prefix}/${each.value}"
  is_public      = false
  is_immutable   = false
  freeform_tags  = var.freeform_tags
}

resource "oci_functions_application" "datasync" {
  compartment_id = var.compartment_ocid
  display_name   = local.application_name
  subnet_ids     = [oci_core_subnet.functions.id]
  shape          = "GENERIC_X86"
  config         = local.app_config
  freeform_tags  = var.freeform_tags

  lifecycle {
    precondition {
      condition     = local.app_config_bytes <= local.app_config_max_bytes
      error_message = "The application configuration is ${local.app_config_bytes} bytes; OCI Functions allows ${local.app_config_max_bytes} (keys + values, UTF-8). Shorten target_allowlist or error_routes, or drop function_config_overrides."
    }
    precondition {
      condition     = local.redrive_classes_known
      error_message = "redrive_error_classes (${join(", ", var.redrive_error_classes)}) must all be classes of error_streams (${join(", ", keys(var.error_streams))})."
    }
  }
}

data "oci_functions_functions" "deployed" {
  for_each = var.functions_deployed ? toset(local.function_names) : toset([])

  application_id = oci_functions_application.datasync.id
  display_name   = each.value
  state          = "ACTIVE"
}

# Function invocation logs (stdout/stderr of the functions: the JSON log lines).
resource "oci_logging_log" "functions_invoke" {
  display_name       = "DataSyncFunctionsInvoke"
  log_group_id       = oci_logging_log_group.datasync.id
  log_type           = "SERVICE"
  is_enabled         = true
  retention_duration = var.log_retention_days
  freeform_tags      = var.freeform_tags

  configuration {
    compartment_id = var.compartment_ocid
    source {
      category    = "invoke"
      resource    = oci_functions_application.datasync.id
      service     = "functions"
      source_type = "OCISERVICE"
    }
  }
}

resource "oci_logging_log_group" "datasync" {
  compartment_id = var.compartment_ocid
  display_name   = "DataSyncLogs"
  description    = "API gateway and function logs of the data-sync tier"
  freeform_tags  = var.freeform_tags
}
