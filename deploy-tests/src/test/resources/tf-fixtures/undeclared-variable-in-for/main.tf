variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

resource "oci_identity_policy" "p" {
  compartment_id = var.compartment_ocid
  name           = "p"
  description    = "p"
  statements     = [for c in ["a"] : "Allow group ${c} to use x in compartment id ${var.stream_compartment}"]
}
