variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

# A stream cannot become a stream pool.
moved {
  from = oci_streaming_stream.gone
  to   = oci_streaming_stream_pool.pool
}
