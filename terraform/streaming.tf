# Streaming: one pool, DataSyncStream, one error stream per routing class (var.error_streams) and DeadLetterStream,
# where a message ends when automatic redrive gives up on it (redrive_max_age or the last slot of redrive_schedule).
# Messages are encrypted with Oracle-managed keys: no custom_encryption_key block, so no key OCID has to be
# supplied (or left as a placeholder) for the pool.

resource "oci_streaming_stream_pool" "datasync" {
  compartment_id = local.stream_compartment_ocid
  name           = "DataSyncStreamPool"
  freeform_tags  = var.freeform_tags

  # Optional: the pool's streams answer only on a private IP inside the functions subnet.
  dynamic "private_endpoint_settings" {
    for_each = var.stream_pool_private_endpoint ? [oci_core_subnet.functions.id] : []
    content {
      subnet_id = private_endpoint_settings.value
    }
  }
}

resource "oci_streaming_stream" "data" {
  name               = "DataSyncStream"
  partitions         = var.data_stream_partitions
  retention_in_hours = var.data_stream_retention_hours
  stream_pool_id     = oci_streaming_stream_pool.datasync.id
  freeform_tags      = var.freeform_tags
}

resource "oci_streaming_stream" "error" {
  for_each = var.error_streams

  name               = each.value
  partitions         = var.error_stream_partitions
  retention_in_hours = var.error_stream_retention_hours
  stream_pool_id     = oci_streaming_stream_pool.datasync.id
  freeform_tags      = merge(var.freeform_tags, { error_class = each.key })

  lifecycle {
    # A message waits in its error stream until its next redrive slot and is redriven for up to redrive_max_age; a
    # stream that forgot it sooner would lose it before it is delivered or dead-lettered.
    precondition {
      condition     = local.error_stream_retention_covers_redrive
      error_message = "error_stream_retention_hours (${var.error_stream_retention_hours} h) must be at least redrive_max_age (${var.redrive_max_age}): an error stream would drop messages that automatic redrive still has to try."
    }
  }
}

# Same pool, partitions and retention as the error streams; archived and notified like them (connectors.tf,
# notifications.tf through local.failure_streams). The end of a message's road: never redriven, not among the
# streams /stream/retry replays; its messages stay there for the retention and in the archive bucket.
resource "oci_streaming_stream" "dead_letter" {
  name               = "DeadLetterStream"
  partitions         = var.error_stream_partitions
  retention_in_hours = var.error_stream_retention_hours
  stream_pool_id     = oci_streaming_stream_pool.datasync.id
  freeform_tags      = merge(var.freeform_tags, { error_class = "deadLetter" })
}
