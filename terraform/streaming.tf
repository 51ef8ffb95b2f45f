# Streaming: one pool, DataSyncStream, and one error stream per routing class (var.error_streams).
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
}
