variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

# The target of the move is not declared.
moved {
  from = oci_streaming_stream_pool.gone
  to   = oci_streaming_stream_pool.missing
}
