# The automatic redrive trigger: what invokes retry-fn in its redrive mode, with no person and no /stream/retry call.
# - The functions publish redrive.pending (namespace datasync, dimension stream: the messages waiting in that error
#   stream) through Monitoring. While it is above 0 the alarm below is FIRING and, with
#   repeat_notification_duration PT1M, notifies its topic every minute; the topic's ORACLE_FUNCTIONS subscription
#   invokes retry-fn with the alarm message, which runs one redrive pass. Nothing waits: no notification, no cost.
# - The hourly Resource Scheduler schedule invokes retry-fn with {"mode":"redrive"} whatever the metric says: the
#   safety net for when no fresh value of the metric arrives (an alarm without data may stay quiet). Hourly is the
#   finest interval the Resource Scheduler documents for functions.
# docs/deploy.md, "Automatic redrive on OCI", explains the choice and what to check after an apply.

resource "oci_ons_notification_topic" "redrive" {
  compartment_id = var.compartment_ocid
  name           = "datasync-redrive-trigger"
  description    = "Redrive ticks: the redrive.pending alarm notifies it every minute while messages wait; each notification invokes retry-fn"
  freeform_tags  = var.freeform_tags
}

resource "oci_monitoring_alarm" "redrive_pending" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "DataSyncRedrivePending"
  is_enabled            = true
  namespace             = local.metrics_namespace
  # any stream with a message waiting; one notification for the alarm, not one per stream (one pass serves all)
  query                                         = "${local.redrive_pending_metric}[1m].max() > 0"
  is_notifications_per_metric_dimension_enabled = false
  severity                                      = "INFO"
  pending_duration                              = "PT1M"
  repeat_notification_duration                  = "PT1M"
  message_format                                = "RAW"
  destinations                                  = [oci_ons_notification_topic.redrive.id]
  body                                          = "Messages wait for automatic redrive: this notification invokes retry-fn for one redrive pass."
  freeform_tags                                 = var.freeform_tags
}

resource "oci_ons_subscription" "redrive" {
  count = var.functions_deployed ? 1 : 0

  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.redrive.id
  protocol       = "ORACLE_FUNCTIONS"
  endpoint       = local.retry_function_id
  freeform_tags  = var.freeform_tags
}

resource "oci_resource_scheduler_schedule" "redrive" {
  count = var.functions_deployed ? 1 : 0

  compartment_id     = var.compartment_ocid
  display_name       = "DataSyncRedriveHourly"
  description        = "Safety net of automatic redrive: invokes retry-fn with {\"mode\":\"redrive\"} every hour"
  action             = "START_RESOURCE"
  recurrence_type    = "ICAL"
  recurrence_details = "FREQ=HOURLY;INTERVAL=1"
  freeform_tags      = var.freeform_tags

  resources {
    id = local.retry_function_id
    parameters {
      parameter_type = "BODY"
      value          = [jsonencode({ mode = "redrive" })]
    }
  }

  lifecycle {
    precondition {
      condition     = local.retry_function_id != null
      error_message = "functions_deployed = true but retry-fn is not in DataSyncApplication: run `fn deploy --app DataSyncApplication` in retry-fn first."
    }
  }
}
