variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

resource "oci_streaming_stream" "s" {
  name           = "S"
  partitions     = 1
  stream_pool_id = oci_streaming_stream_pool.other.id
}
