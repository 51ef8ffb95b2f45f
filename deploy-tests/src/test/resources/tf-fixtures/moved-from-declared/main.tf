variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

resource "oci_streaming_stream_pool" "renamed" {
  compartment_id = var.compartment_ocid
  name           = "Renamed"
}

# pool is still declared: Terraform refuses to move it away.
moved {
  from = oci_streaming_stream_pool.pool
  to   = oci_streaming_stream_pool.renamed
}
