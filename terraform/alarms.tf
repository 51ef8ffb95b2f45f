# Operational alarms on the pipeline's own figures (the functions' metrics, namespace datasync: the ones the local
# console charts), on the functions and on DataSyncStream, all to the error topic datasync-error-notifications. Each
# body says what it means; docs/operations.md says what to do.

resource "oci_monitoring_alarm" "dead_letters" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "DataSyncDeadLetters"
  is_enabled            = true
  namespace             = local.metrics_namespace
  # any message moved to DeadLetterStream, by any source and for any reason
  query                        = "sync.deadLettered[1m].grouping().sum() > 0"
  severity                     = "CRITICAL"
  pending_duration             = "PT1M"
  repeat_notification_duration = var.error_alarm_repeat_notification_duration
  message_format               = "ONS_OPTIMIZED"
  destinations                 = [oci_ons_notification_topic.errors.id]
  body                         = "Messages were dead-lettered: automatic redrive gave up on them (too old, schedule exhausted, corrupt, or behind a dead-lettered message of their key). Each one's deadLetterReason is in DeadLetterStream; they are not retried again."
  freeform_tags                = var.freeform_tags
}

resource "oci_monitoring_alarm" "delivery_failure_rate" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "DataSyncDeliveryFailureRate"
  is_enabled            = true
  namespace             = local.metrics_namespace
  # failed calls to targets as a percentage of all calls over 5 minutes
  query                        = "sync.failed[5m].grouping().sum() / (sync.failed[5m].grouping().sum() + sync.delivered[5m].grouping().sum()) * 100 > ${var.delivery_failure_rate_alarm_percent}"
  severity                     = "WARNING"
  pending_duration             = "PT5M"
  repeat_notification_duration = var.error_alarm_repeat_notification_duration
  message_format               = "ONS_OPTIMIZED"
  destinations                 = [oci_ons_notification_topic.errors.id]
  body                         = "More than ${var.delivery_failure_rate_alarm_percent} % of the calls to targets failed over 5 minutes (sync.failed by kind and targetHost tells which)."
  freeform_tags                = var.freeform_tags
}

resource "oci_monitoring_alarm" "function_errors" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "DataSyncFunctionErrors"
  is_enabled            = true
  namespace             = "oci_faas"
  # OCI Functions' own metric: invocations of DataSyncApplication's functions that ended in an error response
  query                                         = "FunctionResponseCount[5m]{applicationId = \"${oci_functions_application.datasync.id}\", responseType = \"Error\"}.sum() > 0"
  is_notifications_per_metric_dimension_enabled = true
  severity                                      = "CRITICAL"
  pending_duration                              = "PT5M"
  repeat_notification_duration                  = var.error_alarm_repeat_notification_duration
  message_format                                = "ONS_OPTIMIZED"
  destinations                                  = [oci_ons_notification_topic.errors.id]
  body                                          = "A DataSync function answered invocations with an error (the connector re-delivers ReadDataStream's batch; a caller of /stream/sync got a 5xx). The function's log in OCI Logging says why."
  freeform_tags                                 = var.freeform_tags
}

resource "oci_monitoring_alarm" "connector_lag" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = local.stream_compartment_ocid
  display_name          = "DataSyncConnectorLag"
  is_enabled            = true
  namespace             = "oci_streaming"
  # messages written to DataSyncStream over 15 minutes that the connector to read-data-stream-fn did not read
  query                        = "PutMessagesThroughput.Count[15m]{resourceId = \"${oci_streaming_stream.data.id}\"}.sum() - GetMessagesThroughput.Count[15m]{resourceId = \"${oci_streaming_stream.data.id}\"}.sum() > ${var.connector_lag_alarm_messages}"
  severity                     = "WARNING"
  pending_duration             = "PT15M"
  repeat_notification_duration = var.error_alarm_repeat_notification_duration
  message_format               = "ONS_OPTIMIZED"
  destinations                 = [oci_ons_notification_topic.errors.id]
  body                         = "The connector from DataSyncStream to read-data-stream-fn falls behind: over 15 minutes more than ${var.connector_lag_alarm_messages} messages were written than read."
  freeform_tags                = var.freeform_tags
}

resource "oci_monitoring_alarm" "redrive_lag" {
  compartment_id        = var.compartment_ocid
  metric_compartment_id = var.compartment_ocid
  display_name          = "DataSyncRedriveLag"
  is_enabled            = true
  namespace             = local.metrics_namespace
  # the same figure as the redrive trigger, but many messages waiting for a long time: the redrive does not keep up
  query                        = "${local.redrive_pending_metric}[1m].groupBy(stream).max() > ${var.redrive_lag_alarm_messages}"
  severity                     = "WARNING"
  pending_duration             = "PT30M"
  repeat_notification_duration = var.error_alarm_repeat_notification_duration
  message_format               = "ONS_OPTIMIZED"
  destinations                 = [oci_ons_notification_topic.errors.id]
  body                         = "More than ${var.redrive_lag_alarm_messages} messages have waited for automatic redrive in an error stream for 30 minutes: the targets still fail, or the redrive does not keep up."
  freeform_tags                = var.freeform_tags
}
