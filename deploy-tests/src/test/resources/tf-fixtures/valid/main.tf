variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

locals {
  names = ["a", "b"]
}

resource "oci_streaming_stream" "s" {
  for_each       = toset(local.names)
  name           = each.value
  partitions     = 1
  stream_pool_id = oci_streaming_stream_pool.pool.id
}

resource "oci_identity_policy" "p" {
  compartment_id = var.compartment_ocid
  name           = "p"
  description    = "p"
  statements     = [for s in oci_streaming_stream.s : "Allow x to use stream-push in compartment id ${var.compartment_ocid} where target.stream.id='${s.id}'"]
}

output "endpoint" {
  value = oci_streaming_stream.s["a"].messages_endpoint
}

# A resource renamed from count to for_each: the old address is no longer declared.
moved {
  from = oci_streaming_stream.old[0]
  to   = oci_streaming_stream.s["a"]
}
