variable "compartment_ocid" {
  type        = string
  description = "compartment"
}

resource "oci_streaming_stream_pool" "pool" {
  compartment_id = var.compartment_ocid
  name           = "Pool"
}

resource "oci_core_security_list" "sl" {
  compartment_id = var.compartment_ocid
  vcn_id         = oci_streaming_stream_pool.pool.id
  ingress_security_rules {
    protocol = "6"
    source   = "0.0.0.0/0"
    min      = 443
  }
}
