# Notifications topic (+ optional e-mail subscription), one digest alarm per error stream, and the private
# archive bucket the error connectors write to: versioned, never public, objects expire after
# var.archive_retention_days.

resource "oci_ons_notification_topic" "errors" {
  compartment_id = var.compartment_ocid
  name           = "datasync-error-notifications"
  description    = "Messages routed to a data-sync error stream"
  freeform_tags  = var.freeform_tags
}

resource "oci_ons_subscription" "email" {
  count = var.notification_email == null ? 0 : 1

  compartment_id = var.compartment_ocid
  topic_id       = oci_ons_notification_topic.errors.id
  protocol       = "EMAIL"
  endpoint       = var.notification_email
  freeform_tags  = var.freeform_tags
}

# One alarm per error stream and for DeadLetterStream: when messages are routed to it, the topic gets the stream's
# name, its error class and the message count, never a payload (the local stack's NotificationDigestSink sends the
# same kind of digest). Streaming emits PutMessagesThroughput.Count per stream (dimension resourceId) in oci_streaming.
resource "oci_monitoring_alarm" "error_stream" {
  for_each = local.failure_streams

  compartment_id        = var.compartment_ocid
  metric_compartment_id = local.stream_compartment_ocid
  display_name          = "${each.value.name}Messages"
  is_enabled            = true
  namespace             = "oci_streaming"
  query                 = "PutMessagesThroughput.Count[1m]{resourceId = \"${each.value.id}\"}.sum() > 0"
  severity              = "WARNING"
  pending_duration      = "PT1M"
  message_format        = "ONS_OPTIMIZED"
  destinations          = [oci_ons_notification_topic.errors.id]
  body                  = "Messages were routed to the data-sync error stream ${each.value.name} (error class ${each.key}). Payloads are not sent: ${each.key == "deadLetter" ? "automatic redrive gave up on them (deadLetterReason in each message);" : "replay them with POST /stream/retry or"} read the archive bucket datasync-error-archive (prefix ${var.archive_object_name_prefix}/${each.key})."

  # While errors keep arriving the alarm stays FIRING; repeat so a long incident is not a single e-mail.
  repeat_notification_duration = var.error_alarm_repeat_notification_duration
  freeform_tags                = var.freeform_tags
}

data "oci_objectstorage_namespace" "tenancy" {
  compartment_id = var.tenancy_ocid
}

resource "oci_objectstorage_bucket" "archive" {
  compartment_id = var.compartment_ocid
  namespace      = data.oci_objectstorage_namespace.tenancy.namespace
  name           = "datasync-error-archive"
  access_type    = "NoPublicAccess"
  storage_tier   = "Standard"
  versioning     = "Enabled"
  freeform_tags  = var.freeform_tags
}

resource "oci_objectstorage_object_lifecycle_policy" "archive" {
  namespace = data.oci_objectstorage_namespace.tenancy.namespace
  bucket    = oci_objectstorage_bucket.archive.name

  rules {
    name        = "expire-archived-errors"
    action      = "DELETE"
    is_enabled  = true
    target      = "objects"
    time_amount = var.archive_retention_days
    time_unit   = "DAYS"
  }

  rules {
    name        = "expire-previous-versions"
    action      = "DELETE"
    is_enabled  = true
    target      = "previous-object-versions"
    time_amount = var.archive_retention_days
    time_unit   = "DAYS"
  }

  # Object Storage applies lifecycle rules as a service principal that needs its own grant.
  depends_on = [oci_identity_policy.object_lifecycle]
}
