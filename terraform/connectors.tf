# Service Connector Hub.
# - DataSyncStream -> read-data-stream-fn (once the functions are deployed).
# - EVERY error stream and DeadLetterStream -> the archive bucket (one connector per stream, over
#   local.failure_streams, so a new error class is archived by construction).
# - The Notifications topic gets a DIGEST per error stream from a Monitoring alarm (notifications.tf), not the
#   messages: a Streaming -> Notifications connector sends each message as a raw JSON blob (payload and
#   header values, envelopes up to ~1 MB against the 64 KB Notifications limit) and Connector Hub allows no
#   function task on that source/target pair. The raw connectors below exist only when
#   var.error_topic_raw_messages is true (see docs/deploy.md, "Error notifications").

resource "oci_sch_service_connector" "read_data_stream" {
  count = var.functions_deployed ? 1 : 0

  compartment_id = var.compartment_ocid
  display_name   = "DataSyncStreamToReadDataStream"
  description    = "Hands DataSyncStream batches to read-data-stream-fn"
  freeform_tags  = var.freeform_tags

  source {
    kind      = "streaming"
    stream_id = oci_streaming_stream.data.id
    cursor {
      kind = var.data_stream_cursor
    }
  }

  target {
    kind              = "functions"
    function_id       = local.read_function_id
    batch_size_in_kbs = var.read_batch_size_in_num == null ? var.read_batch_size_in_kbs : null
    batch_size_in_num = var.read_batch_size_in_num
    batch_time_in_sec = var.read_batch_time_in_sec
  }

  lifecycle {
    precondition {
      condition     = local.read_function_id != null
      error_message = "functions_deployed = true but read-data-stream-fn is not in DataSyncApplication: run `fn deploy --app DataSyncApplication` in read-data-stream-fn first."
    }
  }

  # A connector whose first run fails for lack of a policy starts late; create the grants first.
  depends_on = [oci_identity_policy.service_connectors, oci_identity_policy.read_connector]
}

resource "oci_sch_service_connector" "error_to_topic" {
  for_each = var.error_topic_raw_messages ? local.failure_streams : {}

  compartment_id = var.compartment_ocid
  display_name   = "${each.value.name}ToNotifications"
  description    = "Notifies datasync-error-notifications of every message routed to ${each.value.name}"
  freeform_tags  = var.freeform_tags

  source {
    kind      = "streaming"
    stream_id = each.value.id
    cursor {
      kind = "TRIM_HORIZON"
    }
  }

  target {
    kind                       = "notifications"
    topic_id                   = oci_ons_notification_topic.errors.id
    enable_formatted_messaging = true
  }

  depends_on = [oci_identity_policy.service_connectors]
}

resource "oci_sch_service_connector" "error_to_archive" {
  for_each = local.failure_streams

  compartment_id = var.compartment_ocid
  display_name   = "${each.value.name}ToArchive"
  description    = "Archives every message routed to ${each.value.name} in datasync-error-archive"
  freeform_tags  = var.freeform_tags

  source {
    kind      = "streaming"
    stream_id = each.value.id
    cursor {
      kind = "TRIM_HORIZON"
    }
  }

  target {
    kind                       = "objectStorage"
    namespace                  = data.oci_objectstorage_namespace.tenancy.namespace
    bucket                     = oci_objectstorage_bucket.archive.name
    object_name_prefix         = "${var.archive_object_name_prefix}/${each.key}"
    batch_rollover_size_in_mbs = var.archive_batch_rollover_size_in_mbs
    batch_rollover_time_in_ms  = var.archive_batch_rollover_time_in_ms
  }

  depends_on = [oci_identity_policy.service_connectors]
}
